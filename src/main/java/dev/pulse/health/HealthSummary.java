package dev.pulse.health;

import org.jspecify.annotations.Nullable;

/**
 * A target's health as one replica publishes it for the others: the snapshot, and the
 * window of verdicts a new owner needs to go on with the same error rate.
 *
 * @param health the health snapshot
 * @param window the window's verdicts, oldest first: {@code 1} a success, {@code 0} a
 * failure
 * @param lastStartedAt when the publishing replica last started a probe of the target
 * (epoch milliseconds), set only by the summary a hand-over publishes after probing
 * stopped, so the new owner goes on from the next slot without repeating or skipping one;
 * null otherwise
 */
public record HealthSummary(TargetHealth health, String window, @Nullable Long lastStartedAt) {

	public HealthSummary(TargetHealth health, String window) {
		this(health, window, null);
	}

	/** This summary, marked with the start of the last probe before a hand-over. */
	public HealthSummary withLastStartedAt(@Nullable Long epochMillis) {
		return new HealthSummary(this.health, this.window, epochMillis);
	}

}
