package dev.pulse.routing;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.pulse.health.HealthState;
import dev.pulse.health.TargetHealth;

/**
 * Why one target of a service cannot be picked now, for the 503 that answers a route
 * request nothing can serve. Field names and {@code reason} values are a stable JSON
 * contract.
 *
 * @param target the target's name
 * @param state its health state
 * @param reason a stable word: {@code terminating} (a discovered pod that is draining),
 * {@code unreachable} (down, and its latest probe got no HTTP response), {@code unknown}
 * (no result yet), {@code unhealthy}, {@code no-weight}, {@code score-below-min-score} or
 * {@code error-rate-above-max}
 * @param detail the same for people, with the figures behind it
 * @param lastFailure the failure reason of its latest failed probe, such as
 * {@code connection-refused}, or null
 */
public record Exclusion(String target, HealthState state, String reason, String detail, @Nullable String lastFailure) {

	static Exclusion of(TargetScore score, TargetHealth health, RoutingProperties.Thresholds thresholds) {
		if (score.drained()) {
			return new Exclusion(score.name(), score.state(), "terminating",
					"its pod is terminating: drained, not probed, weight 0", health.lastFailure());
		}
		if (!score.reachable()) {
			return new Exclusion(
					score.name(), score.state(), "unreachable", "no HTTP response to its last "
							+ health.consecutiveUnreachable() + " probe(s), last: " + health.lastFailure(),
					health.lastFailure());
		}
		if (score.state() == HealthState.UNKNOWN) {
			return new Exclusion(score.name(), score.state(), "unknown", "no result yet", null);
		}
		if (!score.state().isUp()) {
			return new Exclusion(score.name(), score.state(), "unhealthy",
					health.consecutiveFailures() + " consecutive failure(s), last: " + health.lastFailure(),
					health.lastFailure());
		}
		if (score.weight() <= 0) {
			return new Exclusion(score.name(), score.state(), "no-weight", "its routing weight is 0",
					health.lastFailure());
		}
		if (score.score() < thresholds.minScore()) {
			return new Exclusion(score.name(), score.state(), "score-below-min-score",
					String.format(Locale.ROOT, "score %.1f below min-score %.1f", score.score(), thresholds.minScore()),
					health.lastFailure());
		}
		return new Exclusion(score.name(), score.state(), "error-rate-above-max",
				String.format(Locale.ROOT, "error rate %.1f%% above max-error-rate %.1f%%",
						((score.errorRate() != null) ? score.errorRate() : 0) * 100, thresholds.maxErrorRate() * 100),
				health.lastFailure());
	}

}
