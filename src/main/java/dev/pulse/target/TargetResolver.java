package dev.pulse.target;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.format.annotation.DurationFormat;
import org.springframework.format.datetime.standard.DurationFormatterUtils;

import dev.pulse.condition.Condition;
import dev.pulse.condition.ConditionSyntaxException;

/**
 * Resolves a {@link TargetProperties} against {@link PulseProperties.Defaults} into one
 * immutable {@link Target}, checking the rules that span several keys. Every violation is
 * collected, so a caller sees the whole list at once.
 */
public final class TargetResolver {

	/** Target names: safe in URLs, metric labels and Kubernetes object names. */
	public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

	/** The conditions of a {@code tcp://} target that names none. */
	static final List<String> TCP_CONDITIONS = List.of("[CONNECTED] == true");

	private static final java.util.Set<String> SCHEMES = java.util.Set.of("http", "https", "tcp", "tls", "grpc",
			"grpcs");

	/**
	 * The path of a gRPC URL: empty or a service name such as {@code /orders.v1.Orders}.
	 */
	private static final java.util.regex.Pattern GRPC_SERVICE = java.util.regex.Pattern
		.compile("(/([A-Za-z_][A-Za-z0-9_]*)(\\.[A-Za-z_][A-Za-z0-9_]*)*)?/?");

	static final int DEFAULT_TCP_READ_BYTES = 4096;

	static final int MAX_TCP_READ_BYTES = 1024 * 1024;

	/** Below this a probe schedule is a load test, not a heartbeat. */
	static final Duration MIN_INTERVAL = Duration.ofMillis(100);

	private final PulseProperties.Defaults defaults;

	public TargetResolver(PulseProperties.Defaults defaults) {
		this.defaults = defaults;
	}

	/**
	 * Resolve one target.
	 * @param name the target's name
	 * @param properties its properties as bound or received
	 * @param source where it was declared
	 * @param keyPrefix prefix of the keys named in violations, such as
	 * {@code pulse.targets.api.}
	 * @return the resolved target
	 * @throws InvalidTargetException listing every broken rule
	 */
	public Target resolve(String name, TargetProperties properties, Target.Source source, String keyPrefix) {
		List<InvalidTargetException.Violation> violations = new ArrayList<>();
		if (!NAME.matcher(name).matches()) {
			violations.add(new InvalidTargetException.Violation(
					keyPrefix.isEmpty() ? "name" : keyPrefix.substring(0, keyPrefix.length() - 1),
					"name '" + name + "' must match " + NAME.pattern()));
		}
		URI url = parseUrl(properties.url(), keyPrefix + "url", violations);
		// Binding checks these for configuration; the resolver checks them again for the
		// API.
		if (!properties.method().matches("[A-Z]{1,16}")) {
			violations.add(new InvalidTargetException.Violation(keyPrefix + "method",
					"'" + properties.method() + "' must be an upper-case HTTP method such as GET"));
		}
		HeaderRules.check(properties.headers(), keyPrefix + "headers", violations);
		if (properties.weight() < 1 || properties.weight() > 1000) {
			violations.add(new InvalidTargetException.Violation(keyPrefix + "weight",
					"weight (" + properties.weight() + ") must be between 1 and 1000"));
		}
		Duration interval = orDefault(properties.interval(), this.defaults.interval());
		Duration timeout = orDefault(properties.timeout(), this.defaults.timeout());
		Duration jitter = (properties.jitter() != null) ? properties.jitter()
				: (this.defaults.jitter() != null) ? this.defaults.jitter() : interval.dividedBy(10);
		checkTimes(interval, timeout, jitter, keyPrefix, violations);
		Target.Kind kind = Target.Kind.of(url.getScheme());
		Target.Tcp tcpSettings = tcp(kind, properties, keyPrefix, violations);
		// A TCP, TLS or gRPC target has no HTTP status to check: by default it must
		// connect (and, for gRPC, answer SERVING: the prober fails any other answer).
		List<String> texts = (properties.conditions() != null) ? properties.conditions()
				: (kind != Target.Kind.HTTP) ? TCP_CONDITIONS : this.defaults.conditions();
		List<Condition> conditions = parseConditions(texts, keyPrefix + "conditions", violations);
		RetryProperties requested = (properties.retry() != null) ? properties.retry() : RetryProperties.UNSET;
		if (requested.retryOn() != null && requested.retryOn().stream().anyMatch(Objects::isNull)) {
			violations.add(new InvalidTargetException.Violation(keyPrefix + "retry.retry-on", "must not list null"));
			requested = new RetryProperties(requested.maxAttempts(), requested.initialBackoff(), requested.multiplier(),
					requested.randomizationFactor(), requested.maxBackoff(), null);
		}
		RetryPolicy retry = RetryPolicy.BUILT_IN
			.with((this.defaults.retry() != null) ? this.defaults.retry() : RetryProperties.UNSET)
			.with(requested);
		checkRetry(retry, keyPrefix + "retry.", violations);
		if (!violations.isEmpty()) {
			throw new InvalidTargetException(violations);
		}
		String service = (properties.service() == null || properties.service().isBlank()) ? name : properties.service();
		return new Target(name, service, url, properties.method(), properties.headers(), properties.body(), interval,
				timeout, jitter, conditions, properties.weight(), properties.freshConnection(),
				properties.tls().insecureSkipVerify(), properties.enabled(), source, retry, null, tcpSettings);
	}

	/**
	 * The TCP settings of a {@code tcp://} or {@code tls://} target; HTTP-only keys on
	 * one, or {@code tcp.*} on another kind, are violations rather than silently ignored.
	 */
	private static Target.@Nullable Tcp tcp(Target.Kind kind, TargetProperties properties, String prefix,
			List<InvalidTargetException.Violation> violations) {
		boolean tcp = kind.stream();
		TargetProperties.Tcp given = properties.tcp();
		String heartbeat = (properties.heartbeat() != null) ? properties.heartbeat().trim() : "per-probe";
		if (!heartbeat.equals("per-probe") && !heartbeat.equals("persistent")) {
			violations.add(new InvalidTargetException.Violation(prefix + "heartbeat",
					"'" + heartbeat + "' must be per-probe or persistent"));
		}
		boolean persistent = heartbeat.equals("persistent");
		if (persistent && (kind != Target.Kind.TCP || given == null || given.send() == null || given.send().isEmpty()
				|| given.expect() == null)) {
			violations.add(new InvalidTargetException.Violation(prefix + "heartbeat",
					"heartbeat: persistent needs a tcp:// URL with tcp.send (the ping) and tcp.expect (the pong)"));
		}
		String scheme = kind.name().toLowerCase(Locale.ROOT);
		if (kind == Target.Kind.GRPC) {
			if (properties.body() != null) {
				violations.add(new InvalidTargetException.Violation(prefix + "body",
						"a grpc:// target sends the health check, not a body"));
			}
			if (!properties.headers().isEmpty()) {
				violations
					.add(new InvalidTargetException.Violation(prefix + "headers", "a grpc:// target has no headers"));
			}
		}
		if (!tcp) {
			if (given != null && (given.send() != null || given.expect() != null || given.readBytes() != null)) {
				violations.add(new InvalidTargetException.Violation(prefix + "tcp",
						"tcp settings apply to tcp:// and tls:// targets only"));
			}
			return null;
		}
		if (properties.body() != null) {
			violations.add(new InvalidTargetException.Violation(prefix + "body",
					"a " + scheme + ":// target sends tcp.send, not a body"));
		}
		if (!properties.headers().isEmpty()) {
			violations.add(new InvalidTargetException.Violation(prefix + "headers",
					"a " + scheme + ":// target has no headers"));
		}
		String sendText = (given != null) ? given.send() : null;
		byte[] send = new byte[0];
		if (sendText != null) {
			try {
				send = TcpPayloads.decode(sendText);
			}
			catch (IllegalArgumentException ex) {
				violations.add(new InvalidTargetException.Violation(prefix + "tcp.send", ex.getMessage()));
			}
		}
		java.util.regex.Pattern expect = null;
		if (given != null && given.expect() != null) {
			try {
				expect = java.util.regex.Pattern.compile(given.expect(), java.util.regex.Pattern.DOTALL);
			}
			catch (java.util.regex.PatternSyntaxException ex) {
				violations.add(new InvalidTargetException.Violation(prefix + "tcp.expect",
						"'" + given.expect() + "' is not a regular expression: " + ex.getDescription()));
			}
		}
		int readBytes = (given != null && given.readBytes() != null) ? given.readBytes() : DEFAULT_TCP_READ_BYTES;
		if (readBytes < 1 || readBytes > MAX_TCP_READ_BYTES) {
			violations.add(new InvalidTargetException.Violation(prefix + "tcp.read-bytes",
					"read-bytes (" + readBytes + ") must be between 1 and " + MAX_TCP_READ_BYTES));
		}
		return new Target.Tcp(sendText, send, expect, readBytes, persistent);
	}

	private static URI parseUrl(@Nullable String text, String key, List<InvalidTargetException.Violation> violations) {
		if (text == null || text.isBlank()) {
			violations.add(new InvalidTargetException.Violation(key, "must not be blank"));
			return URI.create("http://invalid");
		}
		try {
			URI uri = new URI(text.trim());
			String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
			if (!SCHEMES.contains(scheme) || uri.getHost() == null) {
				violations.add(new InvalidTargetException.Violation(key, "'" + UrlRedaction.redact(text)
						+ "' must be an http, https, tcp, tls, grpc or grpcs URL with a host (tcp://host:port)"));
			}
			else if ((scheme.equals("tcp") || scheme.equals("tls")) && (uri.getPort() == -1
					|| (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
					|| uri.getRawQuery() != null)) {
				violations.add(new InvalidTargetException.Violation(key, "'" + UrlRedaction.redact(text) + "' must be "
						+ scheme + "://host:port, with a port and no path"));
			}
			else if (scheme.startsWith("grpc") && (uri.getPort() == -1 || uri.getRawQuery() != null
					|| !GRPC_SERVICE.matcher((uri.getPath() != null) ? uri.getPath() : "").matches())) {
				violations.add(new InvalidTargetException.Violation(key, "'" + UrlRedaction.redact(text) + "' must be "
						+ scheme + "://host:port or " + scheme + "://host:port/service.Name, with a port"));
			}
			else if (uri.getPort() == 0 || uri.getPort() > 65535) {
				violations.add(new InvalidTargetException.Violation(key,
						"port " + uri.getPort() + " must be between 1 and 65535"));
			}
			return uri;
		}
		catch (URISyntaxException ex) {
			violations.add(new InvalidTargetException.Violation(key,
					"'" + UrlRedaction.redact(text) + "' is not a URL: " + ex.getReason()));
			return URI.create("http://invalid");
		}
	}

	private static void checkTimes(Duration interval, Duration timeout, Duration jitter, String prefix,
			List<InvalidTargetException.Violation> violations) {
		if (interval.compareTo(MIN_INTERVAL) < 0) {
			violations.add(new InvalidTargetException.Violation(prefix + "interval",
					"interval (" + format(interval) + ") must be at least " + format(MIN_INTERVAL)));
		}
		if (timeout.isNegative() || timeout.isZero()) {
			violations.add(new InvalidTargetException.Violation(prefix + "timeout",
					"timeout (" + format(timeout) + ") must be positive"));
		}
		else if (timeout.compareTo(interval) > 0) {
			// A probe longer than its interval would overlap the next one; the scheduler
			// never
			// runs two at once, so it would silently halve the rate instead.
			violations.add(new InvalidTargetException.Violation(prefix + "timeout",
					"timeout (" + format(timeout) + ") must not exceed the interval (" + format(interval) + ")"));
		}
		if (jitter.isNegative() || jitter.compareTo(interval.dividedBy(2)) > 0) {
			// Beyond half the interval, two consecutive probes could swap order or
			// collide.
			violations.add(new InvalidTargetException.Violation(prefix + "jitter", "jitter (" + format(jitter)
					+ ") must be between 0 and half the interval (" + format(interval.dividedBy(2)) + ")"));
		}
	}

	private static void checkRetry(RetryPolicy retry, String prefix,
			List<InvalidTargetException.Violation> violations) {
		if (retry.maxAttempts() < 1 || retry.maxAttempts() > 10) {
			violations.add(new InvalidTargetException.Violation(prefix + "max-attempts",
					"max-attempts (" + retry.maxAttempts() + ") must be between 1 and 10"));
		}
		if (retry.initialBackoff().isNegative() || retry.initialBackoff().isZero()) {
			violations.add(new InvalidTargetException.Violation(prefix + "initial-backoff",
					"initial-backoff (" + format(retry.initialBackoff()) + ") must be positive"));
		}
		if (retry.multiplier() < 1) {
			violations.add(new InvalidTargetException.Violation(prefix + "multiplier",
					"multiplier (" + retry.multiplier() + ") must be at least 1"));
		}
		if (retry.randomizationFactor() < 0 || retry.randomizationFactor() >= 1) {
			violations.add(new InvalidTargetException.Violation(prefix + "randomization-factor",
					"randomization-factor (" + retry.randomizationFactor() + ") must be at least 0 and below 1"));
		}
		if (retry.maxBackoff().compareTo(retry.initialBackoff()) < 0) {
			violations.add(new InvalidTargetException.Violation(prefix + "max-backoff",
					"max-backoff (" + format(retry.maxBackoff()) + ") must be at least initial-backoff ("
							+ format(retry.initialBackoff()) + ")"));
		}
	}

	private static List<Condition> parseConditions(List<String> texts, String key,
			List<InvalidTargetException.Violation> violations) {
		if (texts.isEmpty()) {
			violations.add(new InvalidTargetException.Violation(key, "must list at least one condition"));
		}
		List<Condition> conditions = new ArrayList<>(texts.size());
		for (int i = 0; i < texts.size(); i++) {
			if (texts.get(i) == null) {
				violations
					.add(new InvalidTargetException.Violation(key + "[" + i + "]", "must be a condition, not null"));
				continue;
			}
			try {
				conditions.add(Condition.parse(texts.get(i)));
			}
			catch (ConditionSyntaxException ex) {
				violations.add(new InvalidTargetException.Violation(key + "[" + i + "]", ex.getMessage()));
			}
		}
		return conditions;
	}

	private static Duration orDefault(@Nullable Duration value, Duration fallback) {
		return (value != null) ? value : fallback;
	}

	/**
	 * Prints a duration the way it is configured: {@code 10s}, {@code 1m30s},
	 * {@code 250ms}.
	 */
	public static String format(Duration duration) {
		return DurationFormatterUtils.print(duration, DurationFormat.Style.COMPOSITE);
	}

}
