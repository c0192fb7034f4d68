package dev.pulse.probe;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The global retry budget, bound from {@code pulse.retry.*}: retries across all targets
 * stay under a share of first attempts over a sliding minute, so a widespread outage
 * never turns into a retry storm.
 *
 * @param budgetPercent retries allowed per 100 first attempts over the last minute, 0 to
 * 100; default 20
 * @param minRetriesPerSecond retries always allowed, whatever the first attempts, so a
 * small fleet can still retry; default 3
 */
@ConfigurationProperties("pulse.retry")
@Validated
public record RetryBudgetProperties(@DefaultValue("20") @Min(0) @Max(100) int budgetPercent,
		@DefaultValue("3") @Min(0) @Max(100000) int minRetriesPerSecond) {
}
