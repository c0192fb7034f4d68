package dev.pulse.health;

/**
 * A target's health as one replica publishes it for the others: the snapshot, and the
 * window of verdicts a new owner needs to go on with the same error rate.
 *
 * @param health the health snapshot
 * @param window the window's verdicts, oldest first: {@code 1} a success, {@code 0} a
 * failure
 */
public record HealthSummary(TargetHealth health, String window) {

}
