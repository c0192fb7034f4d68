package dev.pulse.health;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The health of one target at one moment.
 *
 * @param state the current state
 * @param consecutiveSuccesses successes in a row, up to now
 * @param consecutiveFailures failures in a row, up to now
 * @param latencyEwmaMs exponentially weighted average latency of responses, or null
 * before the first response
 * @param errorRate failed share of the last {@code window} results, 0 to 1, or null
 * before the first result
 * @param results results in the window so far
 * @param upSince when the target last became healthy or degraded from down or unknown, or
 * null while it is not up
 * @param changes recent state changes, newest first
 */
public record TargetHealth(HealthState state, int consecutiveSuccesses, int consecutiveFailures,
		@Nullable Double latencyEwmaMs, @Nullable Double errorRate, int results, @Nullable Instant upSince,
		List<StateChange> changes) {

	/** The health of a target with no result yet. */
	public static final TargetHealth UNKNOWN = new TargetHealth(HealthState.UNKNOWN, 0, 0, null, null, 0, null,
			List.of());

	public TargetHealth {
		changes = List.copyOf(changes);
	}

}
