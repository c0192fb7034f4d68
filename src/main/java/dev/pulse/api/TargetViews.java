package dev.pulse.api;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import dev.pulse.health.HealthTracker;
import dev.pulse.probe.ResultHistory;
import dev.pulse.routing.Router;
import dev.pulse.routing.TargetScore;
import dev.pulse.target.Target;

/** Builds the API's view of a target from the stages that know about it. */
@Component
class TargetViews {

	private final ResultHistory history;

	private final HealthTracker health;

	private final Router router;

	TargetViews(ResultHistory history, HealthTracker health, Router router) {
		this.history = history;
		this.health = health;
		this.router = router;
	}

	TargetView of(Target target) {
		return of(target, this.router.score(target).orElse(null));
	}

	/** Views of many targets, their scores computed in one pass. */
	List<TargetView> of(Collection<Target> targets) {
		Map<String, TargetScore> scores = this.router.allScores();
		return targets.stream().map(target -> of(target, scores.get(target.name()))).toList();
	}

	private TargetView of(Target target, @Nullable TargetScore score) {
		return TargetView.of(target, this.history.latest(target.name()).orElse(null), this.health.health(target.name()),
				score);
	}

	static ErrorResponseException notFound(String name) {
		return Problems.of(HttpStatus.NOT_FOUND, "Target not found", "No target named '" + name + "'");
	}

}
