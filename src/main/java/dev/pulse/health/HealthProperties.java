package dev.pulse.health;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How results become health states, bound from {@code pulse.health.*}.
 *
 * @param healthyThreshold consecutive successes that make a down target healthy; default
 * 2
 * @param unhealthyThreshold consecutive failures that make a target unhealthy; default 3
 * @param transitionInterval interval while a target is changing state (between its first
 * failure and the threshold, or its first success and the threshold), bounded by the
 * target's timeout and interval; default 1s
 * @param maxUnhealthyInterval longest interval an unhealthy target backs off to; default
 * 60s
 * @param unhealthyInterval longest spacing between probes of an unhealthy target, as
 * Envoy's {@code unhealthy_interval}: the back-off grows up to it, and a shorter one than
 * the target's interval probes a down target more often; null (the default) means each
 * target's own interval, so a target that comes back is seen within one interval
 * @param degradedLatency a passing target whose latency EWMA is above this is degraded;
 * default 1s
 * @param degradedErrorRate a passing target whose error rate in the window is above this
 * (0 to 1) is degraded; default 0.2
 * @param window results the error rate is computed over; default 20
 * @param latencySmoothing weight of the newest response in the latency EWMA (0 to 1);
 * default 0.3
 * @param history state changes kept per target; default 50
 */
@ConfigurationProperties("pulse.health")
@Validated
public record HealthProperties(@DefaultValue("2") @Min(1) @Max(100) int healthyThreshold,
		@DefaultValue("3") @Min(1) @Max(100) int unhealthyThreshold,
		@DefaultValue("1s") @DurationMin(millis = 100) Duration transitionInterval,
		@DefaultValue("60s") @DurationMin(millis = 100) Duration maxUnhealthyInterval,
		@DefaultValue("1s") @DurationMin(millis = 1) Duration degradedLatency,
		@DefaultValue("0.2") @DecimalMin("0") @DecimalMax("1") double degradedErrorRate,
		@DefaultValue("20") @Min(1) @Max(10000) int window,
		@DefaultValue("0.3") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") double latencySmoothing,
		@DefaultValue("50") @Min(1) @Max(10000) int history,
		@Nullable @DurationMin(millis = 100) Duration unhealthyInterval) {

	/** A back-off that may grow past its own cap would make the cap a lie. */
	@AssertTrue(message = "unhealthy-interval must not exceed max-unhealthy-interval")
	public boolean isUnhealthyIntervalWithinMax() {
		return this.unhealthyInterval == null || this.unhealthyInterval.compareTo(this.maxUnhealthyInterval) <= 0;
	}

}
