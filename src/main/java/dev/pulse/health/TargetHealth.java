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
 * @param consecutiveUnreachable results in a row, up to now, that got no HTTP response at
 * all (refused, reset, timed out, DNS, TLS); a probe Pulse could not start for want of a
 * pooled connection ({@code pool-exhausted}) neither counts nor resets it
 * @param lastFailure the failure reason of the latest failed result, such as
 * {@code connection-refused}, or null before any failure
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
		int consecutiveUnreachable, @Nullable String lastFailure, @Nullable Double latencyEwmaMs,
		@Nullable Double errorRate, int results, @Nullable Instant upSince, List<StateChange> changes) {

	/** The health of a target with no result yet. */
	public static final TargetHealth UNKNOWN = new TargetHealth(HealthState.UNKNOWN, 0, 0, 0, null, null, null, 0, null,
			List.of());

	public TargetHealth {
		changes = List.copyOf(changes);
	}

	/**
	 * Down, and its latest probe got no HTTP response: nothing a caller sends there now
	 * would be answered, so even panic routing leaves it out.
	 */
	public boolean unreachable() {
		return !this.state.isUp() && this.consecutiveUnreachable > 0;
	}

}
