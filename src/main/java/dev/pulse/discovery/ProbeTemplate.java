package dev.pulse.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.pulse.target.TargetProperties;

/**
 * How the endpoints of one annotated Service are probed, as its annotations say; unset
 * values fall back to {@code pulse.defaults} when the target is resolved.
 *
 * @param path the request path, default {@code /}
 * @param scheme {@code http} (default) or {@code https}
 * @param ports port names or numbers probed; empty: the Service's first port
 * @param interval time between probes, or null for the default
 * @param timeout deadline of one probe, or null for the default
 * @param conditions conditions, or null for the default
 * @param weight routing weight, default 100
 * @param insecureSkipVerify accept any certificate: pods are probed by IP, which their
 * certificates seldom name
 */
record ProbeTemplate(String path, String scheme, List<String> ports, @Nullable Duration interval,
		@Nullable Duration timeout, @Nullable List<String> conditions, int weight, boolean insecureSkipVerify) {

	/** The target properties for one endpoint of the Service. */
	TargetProperties properties(String service, String url) {
		return new TargetProperties(service, url, "GET", Map.of(), null, this.interval, this.timeout, null,
				this.conditions, this.weight, false, new TargetProperties.Tls(this.insecureSkipVerify), true, null);
	}

}
