package dev.pulse.routing;

import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.pulse.health.HealthState;

/**
 * One target of a service as routing sees it. Field names are a stable JSON contract.
 *
 * @param name the target's name
 * @param url the URL it is probed at
 * @param state its health state
 * @param score 0 to 100
 * @param weight its routing weight now
 * @param eligible whether it may be picked outside panic mode
 * @param reachable false when it is down and its latest probe got no HTTP response: never
 * picked, not even in panic mode
 * @param errorRate failed share of its recent results, or null before any
 * @param latencyEwmaMs its latency EWMA, or null before any response
 * @param explanation the factors behind score and weight
 * @param drained true while its pod is terminating: weight 0, never picked, not even in
 * panic mode
 */
public record TargetScore(String name, String url, HealthState state, double score, double weight, boolean eligible,
		boolean reachable, @Nullable Double errorRate, @Nullable Double latencyEwmaMs, List<Factor> explanation,
		boolean drained) {

	public TargetScore {
		explanation = List.copyOf(explanation);
	}

	public TargetScore(String name, String url, HealthState state, double score, double weight, boolean eligible,
			boolean reachable, @Nullable Double errorRate, @Nullable Double latencyEwmaMs, List<Factor> explanation) {
		this(name, url, state, score, weight, eligible, reachable, errorRate, latencyEwmaMs, explanation, false);
	}

}
