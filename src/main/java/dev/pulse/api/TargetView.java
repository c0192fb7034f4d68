package dev.pulse.api;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.pulse.health.HealthState;
import dev.pulse.health.StateChange;
import dev.pulse.health.TargetHealth;
import dev.pulse.probe.ProbeResult;
import dev.pulse.routing.TargetScore;
import dev.pulse.target.Target;
import dev.pulse.target.TargetResolver;
import dev.pulse.target.UrlRedaction;

/**
 * A target as the API shows it. Field names are a stable JSON contract. Headers and the
 * body are not shown: they may carry credentials.
 *
 * @param name the target's name
 * @param service its routing group
 * @param url the URL probed, without user-info
 * @param interval time between probes, such as {@code 10s}
 * @param timeout deadline of one probe, such as {@code 5s}
 * @param weight the static routing weight, as configured
 * @param enabled whether it is probed
 * @param source {@code config} or {@code api}
 * @param latest the newest result, or null before the first probe
 * @param state the health state
 * @param score the routing score, 0 to 100
 * @param routingWeight the routing weight now: the static weight scaled by score and slow
 * start
 * @param changes recent state changes, newest first
 */
record TargetView(String name, String service, String url, String interval, String timeout, int weight, boolean enabled,
		String source, @Nullable ProbeResult latest, HealthState state, double score, double routingWeight,
		List<StateChange> changes) {

	static TargetView of(Target target, @Nullable ProbeResult latest, TargetHealth health,
			@Nullable TargetScore score) {
		return new TargetView(target.name(), target.service(), UrlRedaction.redact(target.url()),
				TargetResolver.format(target.interval()), TargetResolver.format(target.timeout()), target.weight(),
				target.enabled(), target.source().value(), latest, health.state(), (score != null) ? score.score() : 0,
				(score != null) ? score.weight() : 0, health.changes());
	}

}
