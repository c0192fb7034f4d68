package dev.pulse.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import dev.pulse.condition.Condition;
import dev.pulse.health.HealthState;
import dev.pulse.health.StateChange;
import dev.pulse.health.TargetHealth;
import dev.pulse.probe.ProbeResult;
import dev.pulse.routing.TargetScore;
import dev.pulse.target.RetryPolicy;
import dev.pulse.target.Target;
import dev.pulse.target.TargetResolver;
import dev.pulse.target.UrlRedaction;

/**
 * A target as the API shows it. Field names are a stable JSON contract. Headers and the
 * body are not shown: they may carry credentials. The settings (service to retry, headers
 * and body aside) read back as the PUT body spells them, so they can be PUT back as they
 * are.
 *
 * @param name the target's name
 * @param service its routing group
 * @param url the URL probed, without user-info
 * @param interval time between probes, such as {@code 10s}
 * @param timeout deadline of one probe, such as {@code 5s}
 * @param method the HTTP method
 * @param jitter random shift of each probe
 * @param conditions the conditions, as written
 * @param weight the static routing weight, as configured
 * @param freshConnection whether every probe opens a new connection
 * @param tls TLS settings
 * @param retry retry settings, defaults applied
 * @param enabled whether it is probed
 * @param source {@code config}, {@code api} or {@code kubernetes}
 * @param latest the newest result, or null before the first probe
 * @param state the health state
 * @param score the routing score, 0 to 100
 * @param routingWeight the routing weight now: the static weight scaled by score and slow
 * start
 * @param changes recent state changes, newest first
 * @param tcp for a {@code tcp://} target: send (as configured), expect and read-bytes;
 * null otherwise
 * @param heartbeat {@code per-probe} or {@code persistent} for a {@code tcp://} target;
 * null otherwise
 * @param kubernetes for a discovered target: its namespace, pod, node, zone, address and
 * whether it is terminating (drained); null otherwise
 */
record TargetView(String name, String service, String url, String method, String interval, String timeout,
		String jitter, List<String> conditions, int weight, @JsonProperty("fresh-connection") boolean freshConnection,
		TargetRequest.Tls tls, boolean enabled, TargetRequest.Retry retry, String source, @Nullable ProbeResult latest,
		HealthState state, double score, double routingWeight, List<StateChange> changes,
		TargetRequest.@Nullable Tcp tcp, @Nullable String heartbeat, Target.@Nullable Discovery kubernetes) {

	static TargetView of(Target target, @Nullable ProbeResult latest, TargetHealth health,
			@Nullable TargetScore score) {
		return new TargetView(target.name(), target.service(), UrlRedaction.redact(target.url()), target.method(),
				TargetResolver.format(target.interval()), TargetResolver.format(target.timeout()),
				TargetResolver.format(target.jitter()), target.conditions().stream().map(Condition::text).toList(),
				target.weight(), target.freshConnection(), new TargetRequest.Tls(target.insecureSkipVerify()),
				target.enabled(), retryOf(target.retry()), target.source().value(), latest, health.state(),
				(score != null) ? score.score() : 0, (score != null) ? score.weight() : 0, health.changes(),
				tcpOf(target.tcp()),
				(target.tcp() != null) ? (target.tcp().persistent() ? "persistent" : "per-probe") : null,
				target.discovery());
	}

	private static TargetRequest.@Nullable Tcp tcpOf(Target.@Nullable Tcp tcp) {
		if (tcp == null) {
			return null;
		}
		return new TargetRequest.Tcp(tcp.sendText().isEmpty() ? null : tcp.sendText(),
				(tcp.expect() != null) ? tcp.expect().pattern() : null, tcp.readBytes());
	}

	/**
	 * The retry settings as the PUT body's own record, so they read back in its spelling
	 * by construction.
	 */
	private static TargetRequest.Retry retryOf(RetryPolicy policy) {
		return new TargetRequest.Retry(policy.maxAttempts(), TargetResolver.format(policy.initialBackoff()),
				policy.multiplier(), policy.randomizationFactor(), TargetResolver.format(policy.maxBackoff()),
				policy.retryOn());
	}

}
