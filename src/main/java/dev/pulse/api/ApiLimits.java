package dev.pulse.api;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Bounds on what the API accepts, bound from {@code pulse.limits.*}, so no caller can
 * turn Pulse into a load generator or exhaust its memory.
 *
 * @param minInterval shortest interval of a target registered over the API; default 1s
 * @param maxHeaders most request headers a registered target may send; default 32
 * @param maxBodyBytes largest request body a registered target may send; default 64KB
 * @param maxTargets most targets in all, configured ones included; past it a registration
 * answers 409; default 10000
 * @param maxRequestBytes largest API request body; past it the API answers 413; default
 * 1MB
 */
@ConfigurationProperties("pulse.limits")
@Validated
public record ApiLimits(@DefaultValue("1s") @DurationMin(millis = 100) Duration minInterval,
		@DefaultValue("32") @Min(0) @Max(1000) int maxHeaders, @DefaultValue("64KB") DataSize maxBodyBytes,
		@DefaultValue("10000") @Min(1) int maxTargets, @DefaultValue("1MB") DataSize maxRequestBytes) {
}
