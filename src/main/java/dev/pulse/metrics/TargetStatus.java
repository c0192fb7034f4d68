package dev.pulse.metrics;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

import dev.pulse.health.HealthState;
import dev.pulse.health.HealthTracker;
import dev.pulse.routing.Router;
import dev.pulse.routing.ServiceRouting;
import dev.pulse.routing.TargetScore;

/**
 * Health states, scores and weights of every target, computed for all targets at once and
 * reused for a short while, so one scrape of the per-target gauges costs O(targets)
 * instead of scoring a whole service once per target and gauge.
 */
final class TargetStatus {

	/** How long one computation serves the gauges: shorter than any scrape interval. */
	static final long TTL_NANOS = 1_000_000_000L;

	private final HealthTracker health;

	private final Router router;

	private final LongSupplier nanoClock;

	private Map<String, TargetScore> scores = Map.of();

	private long computedNanos;

	private boolean computed;

	TargetStatus(HealthTracker health, Router router) {
		this(health, router, System::nanoTime);
	}

	TargetStatus(HealthTracker health, Router router, LongSupplier nanoClock) {
		this.health = health;
		this.router = router;
		this.nanoClock = nanoClock;
	}

	HealthState state(String target) {
		TargetScore score = score(target);
		return (score != null) ? score.state() : this.health.health(target).state();
	}

	double score(String target, boolean weight) {
		TargetScore score = score(target);
		if (score == null) {
			return Double.NaN;
		}
		return weight ? score.weight() : score.score();
	}

	private synchronized @Nullable TargetScore score(String target) {
		long now = this.nanoClock.getAsLong();
		if (!this.computed || now - this.computedNanos >= TTL_NANOS) {
			this.scores = this.router.allScores();
			this.computed = true;
			this.computedNanos = now;
		}
		return this.scores.get(target);
	}

}
