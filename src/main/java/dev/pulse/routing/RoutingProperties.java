package dev.pulse.routing;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
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
 * How scores, weights and picks are computed, bound from {@code pulse.routing.*}.
 *
 * @param latencyTarget latency at or under which a target loses no latency points;
 * default 200ms
 * @param minScore a target scoring below this (0 to 100) is not eligible; default 0
 * @param maxErrorRate a target whose error rate is above this (0 to 1) is not eligible;
 * default 1.0
 * @param panicThreshold when fewer than this percentage of a service's targets are
 * eligible, routing ignores health and spreads over all of them; 0 disables panic mode;
 * default 50
 * @param slowStart ramp-up of a target that has just become healthy
 * @param services per-service overrides of {@code min-score}, {@code max-error-rate} and
 * {@code panic-threshold}, keyed by service name
 */
@ConfigurationProperties("pulse.routing")
@Validated
public record RoutingProperties(@DefaultValue("200ms") @DurationMin(millis = 1) Duration latencyTarget,
		@DefaultValue("0") @DecimalMin("0") @DecimalMax("100") double minScore,
		@DefaultValue("1.0") @DecimalMin("0") @DecimalMax("1") double maxErrorRate,
		@DefaultValue("50") @Min(0) @Max(100) int panicThreshold, @DefaultValue @Valid SlowStart slowStart,
		@DefaultValue Map<String, @Valid ServiceOverrides> services) {

	/** The thresholds of one service: its overrides over the defaults. */
	Thresholds thresholds(String service) {
		ServiceOverrides overrides = this.services.get(service);
		if (overrides == null) {
			return new Thresholds(this.minScore, this.maxErrorRate, this.panicThreshold);
		}
		return new Thresholds((overrides.minScore() != null) ? overrides.minScore() : this.minScore,
				(overrides.maxErrorRate() != null) ? overrides.maxErrorRate() : this.maxErrorRate,
				(overrides.panicThreshold() != null) ? overrides.panicThreshold() : this.panicThreshold);
	}

	/**
	 * Slow start, as in Envoy and HAProxy.
	 *
	 * @param minWeightPercent the weight a target starts at when it becomes healthy, as a
	 * percentage of its full weight; default 10
	 * @param window how long the ramp to full weight takes; 0 turns slow start off;
	 * default 30s
	 */
	public record SlowStart(@DefaultValue("10") @Min(0) @Max(100) int minWeightPercent,
			@DefaultValue("30s") @DurationMin(millis = 0) Duration window) {
	}

	/**
	 * Eligibility overrides for one service; a key left out keeps the default.
	 *
	 * @param minScore minimum score, 0 to 100
	 * @param maxErrorRate maximum error rate, 0 to 1
	 * @param panicThreshold panic threshold percentage, 0 to 100
	 */
	public record ServiceOverrides(@Nullable @DecimalMin("0") @DecimalMax("100") Double minScore,
			@Nullable @DecimalMin("0") @DecimalMax("1") Double maxErrorRate,
			@Nullable @Min(0) @Max(100) Integer panicThreshold) {
	}

	/** Resolved thresholds of one service. */
	record Thresholds(double minScore, double maxErrorRate, int panicThreshold) {
	}

}
