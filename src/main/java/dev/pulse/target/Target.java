package dev.pulse.target;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.pulse.condition.Condition;

/**
 * One target with every setting resolved against the defaults and every condition parsed:
 * the immutable value the scheduler and the prober work from.
 *
 * @param name unique name ({@code [a-z0-9][a-z0-9._-]{0,62}})
 * @param service the routing group the target belongs to
 * @param url the URL probed
 * @param method the HTTP method
 * @param headers request headers
 * @param body request body, or null
 * @param interval time between probes
 * @param timeout deadline of one probe, at most {@code interval}
 * @param jitter uniform random shift of each probe, at most half of {@code interval}
 * @param conditions parsed conditions, at least one
 * @param weight routing weight, 1 to 1000
 * @param freshConnection whether every probe opens a new connection
 * @param insecureSkipVerify whether TLS certificates and host names go unchecked
 * @param enabled whether the target is probed
 * @param source where the target was declared
 * @param retry retry inside one probe cycle
 */
public record Target(String name, String service, URI url, String method, Map<String, String> headers,
		@Nullable String body, Duration interval, Duration timeout, Duration jitter, List<Condition> conditions,
		int weight, boolean freshConnection, boolean insecureSkipVerify, boolean enabled, Source source,
		RetryPolicy retry) {

	public Target {
		headers = Map.copyOf(headers);
		conditions = List.copyOf(conditions);
	}

	/**
	 * Whether any condition reads the response body, so the prober keeps it (up to the
	 * cap).
	 */
	public boolean needsBody() {
		return this.conditions.stream().anyMatch(Condition::needsBody);
	}

	/**
	 * Where a target was declared; API-declared targets are writable, configured ones are
	 * not.
	 */
	public enum Source {

		/** Declared under {@code pulse.targets}. */
		CONFIG,

		/** Registered over the REST API. */
		API;

		/** The value shown in JSON: {@code config} or {@code api}. */
		public String value() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
