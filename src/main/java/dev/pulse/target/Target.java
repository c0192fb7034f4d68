package dev.pulse.target;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

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
 * @param discovery where a discovered target lives (pod, node, zone) and whether it is
 * draining; null for a declared target
 * @param tcp what a {@code tcp://} or {@code tls://} target sends and expects; null for
 * other kinds
 */
public record Target(String name, String service, URI url, String method, Map<String, String> headers,
		@Nullable String body, Duration interval, Duration timeout, Duration jitter, List<Condition> conditions,
		int weight, boolean freshConnection, boolean insecureSkipVerify, boolean enabled, Source source,
		RetryPolicy retry, @Nullable Discovery discovery, @Nullable Tcp tcp) {

	public Target {
		headers = Map.copyOf(headers);
		conditions = List.copyOf(conditions);
	}

	/**
	 * A declared target: from configuration, a targets file or the API.
	 */
	public Target(String name, String service, URI url, String method, Map<String, String> headers,
			@Nullable String body, Duration interval, Duration timeout, Duration jitter, List<Condition> conditions,
			int weight, boolean freshConnection, boolean insecureSkipVerify, boolean enabled, Source source,
			RetryPolicy retry) {
		this(name, service, url, method, headers, body, interval, timeout, jitter, conditions, weight, freshConnection,
				insecureSkipVerify, enabled, source, retry, null, null);
	}

	/** The same target, found by discovery at the place given. */
	public Target withDiscovery(Discovery discovery) {
		return new Target(this.name, this.service, this.url, this.method, this.headers, this.body, this.interval,
				this.timeout, this.jitter, this.conditions, this.weight, this.freshConnection, this.insecureSkipVerify,
				this.enabled, this.source, this.retry, discovery, this.tcp);
	}

	/**
	 * Whether the target is draining (its pod is terminating): shown, never probed, and
	 * weight 0 in routing.
	 */
	public boolean drained() {
		return this.discovery != null && this.discovery.terminating();
	}

	/** Whether the scheduler probes this target at all. */
	public boolean probed() {
		return this.enabled && !drained();
	}

	/**
	 * Whether any condition reads the response body, so the prober keeps it (up to the
	 * cap).
	 */
	public boolean needsBody() {
		return this.conditions.stream().anyMatch(Condition::needsBody);
	}

	/** Whether the target is probed over plain TCP ({@code tcp://host:port}). */
	public boolean isTcp() {
		return kind() == Kind.TCP;
	}

	/** The kind of probe, chosen by the URL's scheme. */
	public Kind kind() {
		return Kind.of(this.url.getScheme());
	}

	/**
	 * Whether the probe runs TLS: {@code https://}, {@code tls://} and {@code grpcs://}.
	 */
	public boolean secure() {
		String scheme = this.url.getScheme();
		return "https".equalsIgnoreCase(scheme) || "tls".equalsIgnoreCase(scheme) || "grpcs".equalsIgnoreCase(scheme);
	}

	/** How a target is probed, by its URL's scheme; each kind has a prober of its own. */
	public enum Kind {

		/**
		 * {@code http://} and {@code https://}: a request, its status, headers and body.
		 */
		HTTP,

		/** {@code tcp://host:port}: connect, then optionally send and expect bytes. */
		TCP,

		/**
		 * {@code tls://host:port}: connect and the TLS handshake (chain, host name, SNI),
		 * then optionally send and expect bytes over it.
		 */
		TLS,

		/**
		 * {@code grpc://host:port} (plain HTTP/2) and {@code grpcs://} (over TLS): the
		 * standard {@code grpc.health.v1.Health/Check}.
		 */
		GRPC;

		/**
		 * The kind of a scheme.
		 * @param scheme a URL scheme, in any case
		 * @return its kind; HTTP for {@code http}, {@code https} and anything unknown
		 */
		public static Kind of(@Nullable String scheme) {
			if (scheme == null) {
				return HTTP;
			}
			return switch (scheme.toLowerCase(java.util.Locale.ROOT)) {
				case "tcp" -> TCP;
				case "tls" -> TLS;
				case "grpc", "grpcs" -> GRPC;
				default -> HTTP;
			};
		}

		/** Whether the kind talks raw bytes ({@code tcp.send}/{@code tcp.expect}). */
		public boolean stream() {
			return this == TCP || this == TLS;
		}

	}

	/**
	 * What a {@code tcp://} target sends and expects, resolved. Equal when configured
	 * alike (the compiled pattern compares by its text).
	 */
	public static final class Tcp {

		private final String sendText;

		private final byte[] send;

		private final @Nullable Pattern expect;

		private final int readBytes;

		private final boolean persistent;

		public Tcp(@Nullable String sendText, byte[] send, @Nullable Pattern expect, int readBytes) {
			this(sendText, send, expect, readBytes, false);
		}

		public Tcp(@Nullable String sendText, byte[] send, @Nullable Pattern expect, int readBytes,
				boolean persistent) {
			this.sendText = (sendText != null) ? sendText : "";
			this.send = send.clone();
			this.expect = expect;
			this.readBytes = readBytes;
			this.persistent = persistent;
		}

		/**
		 * Whether one long-lived connection carries every probe ({@code heartbeat:
		 * persistent}).
		 */
		public boolean persistent() {
			return this.persistent;
		}

		/** The bytes sent once connected; empty sends nothing. */
		public byte[] send() {
			return this.send.clone();
		}

		/** {@code tcp.send} as configured, escapes and all. */
		public String sendText() {
			return this.sendText;
		}

		public @Nullable Pattern expect() {
			return this.expect;
		}

		public int readBytes() {
			return this.readBytes;
		}

		@Override
		public boolean equals(Object other) {
			return other instanceof Tcp tcp && Arrays.equals(this.send, tcp.send) && this.readBytes == tcp.readBytes
					&& this.persistent == tcp.persistent && Objects.equals(pattern(this.expect), pattern(tcp.expect));
		}

		@Override
		public int hashCode() {
			return Objects.hash(Arrays.hashCode(this.send), pattern(this.expect), this.readBytes, this.persistent);
		}

		private static @Nullable String pattern(@Nullable Pattern pattern) {
			return (pattern != null) ? pattern.pattern() : null;
		}

		@Override
		public String toString() {
			return "Tcp[send=" + this.sendText + ", expect=" + pattern(this.expect) + ", readBytes=" + this.readBytes
					+ "]";
		}

	}

	/**
	 * Where a discovered target lives. Field names are a stable JSON contract.
	 *
	 * @param namespace the Kubernetes namespace
	 * @param pod the pod behind the endpoint, or null when the endpoint names none
	 * @param node the node it runs on, or null when unknown
	 * @param zone its topology zone, or null when unknown
	 * @param address the endpoint address probed
	 * @param terminating whether the endpoint is terminating: drained
	 */
	public record Discovery(String namespace, @Nullable String pod, @Nullable String node, @Nullable String zone,
			String address, boolean terminating) {
	}

	/**
	 * Where a target was declared; API-declared targets are writable, configured ones are
	 * not.
	 */
	public enum Source {

		/** Declared under {@code pulse.targets}. */
		CONFIG,

		/** Registered over the REST API. */
		API,

		/**
		 * Found by Kubernetes discovery ({@code pulse.discovery.kubernetes}); never
		 * stored, read-only over the API.
		 */
		KUBERNETES;

		/**
		 * The value shown in JSON: {@code config}, {@code api} or {@code kubernetes}.
		 */
		public String value() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
