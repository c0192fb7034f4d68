package dev.pulse.api;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

import org.springframework.format.datetime.standard.DurationFormatterUtils;

import dev.pulse.target.InvalidTargetException.Violation;
import dev.pulse.target.RetryProperties;
import dev.pulse.target.TargetProperties;
import dev.pulse.target.TargetResolver;

/**
 * The body of {@code PUT /api/targets/{name}}: the same fields as
 * {@code pulse.targets.<name>}, kebab-case as in YAML, durations as text ({@code 10s},
 * {@code 500ms}). Unknown fields are rejected.
 *
 * @param service the routing group; default the name
 * @param url the URL to probe
 * @param method the HTTP method; default GET
 * @param headers request headers; write-only
 * @param body request body; write-only
 * @param interval time between probes
 * @param timeout deadline of one probe
 * @param jitter random shift of each probe
 * @param conditions conditions a response must meet
 * @param weight routing weight, 1 to 1000; default 100
 * @param freshConnection a new connection per probe; default false
 * @param tls TLS settings
 * @param enabled whether it is probed; default true
 * @param retry retry settings
 * @param tcp what a {@code tcp://} target sends and expects
 * @param heartbeat {@code per-probe} (default) or {@code persistent}
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
record TargetRequest(@Nullable String service, @Nullable String url, @Nullable String method,
		@Nullable Map<String, String> headers, @Nullable String body, @Nullable String interval,
		@Nullable String timeout, @Nullable String jitter, @Nullable List<String> conditions, @Nullable Integer weight,
		@Nullable Boolean freshConnection, @Nullable Tls tls, @Nullable Boolean enabled, @Nullable Retry retry,
		@Nullable Tcp tcp, @Nullable String heartbeat) {

	/**
	 * TCP settings of a {@code tcp://} target.
	 *
	 * @param send bytes sent once connected, with {@code \xHH} escapes
	 * @param expect a regular expression the answer must match
	 * @param readBytes the most bytes read for the answer; default 4096
	 */
	@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
	record Tcp(@Nullable String send, @Nullable String expect, @Nullable Integer readBytes) {
	}

	/**
	 * TLS settings.
	 *
	 * @param insecureSkipVerify accept any certificate and host name
	 */
	@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
	record Tls(@Nullable Boolean insecureSkipVerify) {
	}

	/**
	 * Retry settings, each falling back to {@code pulse.defaults.retry}.
	 *
	 * @param maxAttempts attempts per cycle
	 * @param initialBackoff wait before the first retry
	 * @param multiplier growth of the wait
	 * @param randomizationFactor jitter of each wait
	 * @param maxBackoff longest wait
	 * @param retryOn failure reasons retried
	 */
	@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
	record Retry(@Nullable Integer maxAttempts, @Nullable String initialBackoff, @Nullable Double multiplier,
			@Nullable Double randomizationFactor, @Nullable String maxBackoff, @Nullable List<String> retryOn) {
	}

	/**
	 * The target properties, checking what the resolver cannot: the API's limits and that
	 * durations parse. Every problem is added to {@code violations}.
	 */
	TargetProperties toProperties(ApiLimits limits, List<Violation> violations) {
		Duration parsedInterval = duration("interval", this.interval, violations);
		if (parsedInterval != null && parsedInterval.compareTo(limits.minInterval()) < 0) {
			violations.add(new Violation("interval", "interval (" + this.interval + ") must be at least "
					+ TargetResolver.format(limits.minInterval()) + " (pulse.limits.min-interval)"));
		}
		if (this.headers != null && this.headers.size() > limits.maxHeaders()) {
			violations.add(new Violation("headers",
					this.headers.size() + " headers, at most " + limits.maxHeaders() + " (pulse.limits.max-headers)"));
		}
		if (this.body != null && this.body.getBytes(StandardCharsets.UTF_8).length > limits.maxBodyBytes().toBytes()) {
			violations.add(new Violation("body",
					"body is larger than " + limits.maxBodyBytes().toBytes() + " bytes (pulse.limits.max-body-bytes)"));
		}
		RetryProperties retryProperties = null;
		if (this.retry != null) {
			retryProperties = new RetryProperties(this.retry.maxAttempts(),
					duration("retry.initial-backoff", this.retry.initialBackoff(), violations), this.retry.multiplier(),
					this.retry.randomizationFactor(),
					duration("retry.max-backoff", this.retry.maxBackoff(), violations), this.retry.retryOn());
		}
		return new TargetProperties(this.service, this.url, (this.method != null) ? this.method : "GET",
				(this.headers != null) ? new LinkedHashMap<>(this.headers) : Map.of(), this.body, parsedInterval,
				duration("timeout", this.timeout, violations), duration("jitter", this.jitter, violations),
				(this.conditions != null) ? new ArrayList<>(this.conditions) : null,
				(this.weight != null) ? this.weight : 100, Boolean.TRUE.equals(this.freshConnection),
				new TargetProperties.Tls(this.tls != null && Boolean.TRUE.equals(this.tls.insecureSkipVerify())),
				!Boolean.FALSE.equals(this.enabled), retryProperties, (this.tcp != null)
						? new TargetProperties.Tcp(this.tcp.send(), this.tcp.expect(), this.tcp.readBytes()) : null,
				this.heartbeat);
	}

	private static @Nullable Duration duration(String field, @Nullable String text, List<Violation> violations) {
		if (text == null) {
			return null;
		}
		try {
			return DurationFormatterUtils.detectAndParse(text);
		}
		catch (IllegalArgumentException ex) {
			violations.add(new Violation(field, "'" + text + "' is not a duration such as 10s or 500ms"));
			return null;
		}
	}

}
