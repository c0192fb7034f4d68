package dev.pulse.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import dev.pulse.health.HealthState;
import dev.pulse.health.TargetHealth;

/**
 * Turns a target's health into a score and a weight, and says how.
 * <p>
 * {@code score = state x (latency points + error points)}, where latency gives up to 50
 * points, half for being at or under {@code latency-target} and half for being as fast as
 * the best target of its service
 * ({@code 25 x min(1, target / ewma) + 25 x min(1, best / ewma)}), errors give
 * {@code 50 x (1 - error rate)}, and state multiplies by 1 (healthy), 0.5 (degraded) or 0
 * (unhealthy, unknown). {@code weight = static weight x score / 100 x slow-start ramp}.
 * Higher latency or a higher error rate never raises a score.
 */
final class Scorer {

	private final Duration latencyTarget;

	private final RoutingProperties.SlowStart slowStart;

	Scorer(RoutingProperties properties) {
		this.latencyTarget = properties.latencyTarget();
		this.slowStart = properties.slowStart();
	}

	/**
	 * Score one target.
	 * @param staticWeight the target's configured weight
	 * @param health its health
	 * @param bestLatencyMs the lowest latency EWMA among the up targets of its service,
	 * or null
	 * @param now the time, for slow start
	 * @return the score, the weight and their explanation
	 */
	Score score(int staticWeight, TargetHealth health, @Nullable Double bestLatencyMs, Instant now) {
		List<Factor> factors = new ArrayList<>(5);
		double state = stateFactor(health.state());
		factors.add(new Factor("state", health.state().name(), state, "x" + fixed(state, 2)));
		double latency = latencyPoints(health.latencyEwmaMs(), bestLatencyMs, factors);
		double errorRate = (health.errorRate() != null) ? health.errorRate() : 0;
		double errors = 50 * (1 - errorRate);
		factors.add(new Factor("errors", percent(errorRate) + " of the last " + health.results() + " results",
				round(errors), "+" + fixed(errors, 1) + " points"));
		double score = round(Math.max(0, Math.min(100, state * (latency + errors))));
		double ramp = ramp(health, now, factors);
		double weight = health.state().isUp() ? round(staticWeight * score / 100 * ramp) : 0;
		factors.add(new Factor("weight", "static weight " + staticWeight, staticWeight,
				"weight = " + staticWeight + " x " + fixed(score, 1) + " / 100"
						+ ((ramp < 1) ? " x " + fixed(ramp, 2) : "") + " = " + fixed(weight, 1)));
		return new Score(score, weight, factors);
	}

	private static double stateFactor(HealthState state) {
		return switch (state) {
			case HEALTHY -> 1.0;
			case DEGRADED -> 0.5;
			case UNHEALTHY, UNKNOWN -> 0.0;
		};
	}

	private double latencyPoints(@Nullable Double ewmaMs, @Nullable Double bestMs, List<Factor> factors) {
		if (ewmaMs == null) {
			factors.add(new Factor("latency", "no response yet", 50, "+50.0 points"));
			return 50;
		}
		double target = this.latencyTarget.toMillis();
		double ewma = Math.max(ewmaMs, 0.001);
		double absolute = Math.min(1, target / ewma);
		double best = (bestMs != null) ? Math.min(bestMs, ewma) : ewma;
		double relative = Math.min(1, best / ewma);
		double points = 25 * absolute + 25 * relative;
		factors.add(new Factor(
				"latency", String.format(Locale.ROOT,
						"EWMA %.1f ms against latency-target %.0f ms and best in service %.1f ms", ewma, target, best),
				round(points), "+" + fixed(points, 1) + " points"));
		return points;
	}

	private double ramp(TargetHealth health, Instant now, List<Factor> factors) {
		Duration window = this.slowStart.window();
		if (window.isZero() || health.upSince() == null) {
			return 1;
		}
		Duration up = Duration.between(health.upSince(), now);
		if (up.compareTo(window) >= 0) {
			return 1;
		}
		double min = this.slowStart.minWeightPercent() / 100.0;
		double progress = Math.max(0, (double) up.toMillis() / window.toMillis());
		double ramp = min + (1 - min) * progress;
		factors.add(new Factor("slow-start",
				String.format(Locale.ROOT, "up for %.1f s of a %.0f s ramp from %d%%", up.toMillis() / 1000.0,
						window.toMillis() / 1000.0, this.slowStart.minWeightPercent()),
				Math.round(ramp * 100) / 100.0, "x" + fixed(ramp, 2)));
		return ramp;
	}

	private static double round(double value) {
		return Math.round(value * 10) / 10.0;
	}

	private static String fixed(double value, int digits) {
		return String.format(Locale.ROOT, "%." + digits + "f", value);
	}

	private static String percent(double rate) {
		return String.format(Locale.ROOT, "%.1f%%", rate * 100);
	}

}
