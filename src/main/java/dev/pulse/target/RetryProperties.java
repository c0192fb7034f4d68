package dev.pulse.target;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Retry inside one probe cycle, as written under {@code pulse.defaults.retry} or
 * {@code pulse.targets.<name>.retry}. A key left out falls back to the defaults, then to
 * the built-in values in {@link RetryPolicy#BUILT_IN}.
 *
 * @param maxAttempts attempts per cycle, the first included, 1 to 10; default 2
 * @param initialBackoff wait before the first retry; default 200ms
 * @param multiplier growth of the wait per retry, at least 1; default 2
 * @param randomizationFactor jitter of each wait, 0 to below 1 (0.5 means ±50%); default
 * 0.5
 * @param maxBackoff longest wait; default 2s
 * @param retryOn failure reasons that are retried; default the transport failures
 * {@code timeout}, {@code connection-refused}, {@code connection-reset},
 * {@code premature-close}
 */
public record RetryProperties(@Nullable Integer maxAttempts, @Nullable Duration initialBackoff,
		@Nullable Double multiplier, @Nullable Double randomizationFactor, @Nullable Duration maxBackoff,
		@Nullable List<String> retryOn) {

	/** Nothing set: everything falls back. */
	public static final RetryProperties UNSET = new RetryProperties(null, null, null, null, null, null);

}
