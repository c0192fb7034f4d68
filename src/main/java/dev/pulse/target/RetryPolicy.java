package dev.pulse.target;

import java.time.Duration;
import java.util.List;

/**
 * A target's resolved retry settings.
 *
 * @param maxAttempts attempts per cycle, the first included
 * @param initialBackoff wait before the first retry
 * @param multiplier growth of the wait per retry
 * @param randomizationFactor jitter of each wait (0.5 means ±50%)
 * @param maxBackoff longest wait
 * @param retryOn failure reason values that are retried, such as {@code timeout}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, double randomizationFactor,
		Duration maxBackoff, List<String> retryOn) {

	/** The built-in defaults: one retry, on transport failures only. */
	public static final RetryPolicy BUILT_IN = new RetryPolicy(2, Duration.ofMillis(200), 2.0, 0.5,
			Duration.ofSeconds(2), List.of("timeout", "connection-refused", "connection-reset", "premature-close"));

	public RetryPolicy {
		retryOn = List.copyOf(retryOn);
	}

	/**
	 * The longest the wait before retry {@code retry} (1-based) can be, jitter included.
	 * @param retry which retry
	 * @return the upper bound
	 */
	public Duration maxBackoffBefore(int retry) {
		double base = this.initialBackoff.toMillis() * Math.pow(this.multiplier, retry - 1);
		double bound = Math.min(this.maxBackoff.toMillis(), base * (1 + this.randomizationFactor));
		return Duration.ofMillis((long) Math.ceil(bound));
	}

	/** Merge properties over this policy: every key set in {@code properties} wins. */
	RetryPolicy with(RetryProperties properties) {
		return new RetryPolicy(or(properties.maxAttempts(), this.maxAttempts),
				or(properties.initialBackoff(), this.initialBackoff), or(properties.multiplier(), this.multiplier),
				or(properties.randomizationFactor(), this.randomizationFactor),
				or(properties.maxBackoff(), this.maxBackoff), or(properties.retryOn(), this.retryOn));
	}

	private static <T> T or(@org.jspecify.annotations.Nullable T value, T fallback) {
		return (value != null) ? value : fallback;
	}

}
