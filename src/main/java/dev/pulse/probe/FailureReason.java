package dev.pulse.probe;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * Why a probe failed. The JSON and metric values ({@link #value()}) are a stable
 * contract: dashboards, alerts and other tools match on them.
 */
public enum FailureReason {

	/**
	 * The probe's deadline passed: pool wait, DNS, connect, TLS, headers or body stalled.
	 */
	TIMEOUT,

	/** Nothing listens on the target's port (or the route to it is refused). */
	CONNECTION_REFUSED,

	/** The peer reset the connection. */
	CONNECTION_RESET,

	/** The peer closed the connection before the response was complete. */
	PREMATURE_CLOSE,

	/** The host name did not resolve. */
	DNS,

	/**
	 * The TLS handshake failed: untrusted or expired certificate, host name mismatch,
	 * protocol.
	 */
	TLS,

	/**
	 * The peer did not speak valid HTTP, or the exchange failed in a way not listed
	 * above.
	 */
	PROTOCOL_ERROR,

	/** The body exceeded {@code pulse.transport.max-body-bytes}. */
	BODY_TOO_LARGE,

	/** Too many probes were already waiting for a connection to the host. */
	POOL_EXHAUSTED,

	/** The exchange worked but at least one condition failed. */
	CONDITION_FAILED,

	// Added last, so messages listing the values keep their existing order.
	/**
	 * The target's address is in a denied range (SSRF guard); no connection was made.
	 * Only targets registered over the API are checked.
	 */
	BLOCKED,

	/**
	 * A {@code tcp://} target's answer did not match {@code tcp.expect}: the peer sent
	 * something else, and closed or reached {@code tcp.read-bytes}.
	 */
	EXPECT_FAILED,

	/**
	 * A persistent heartbeat ({@code heartbeat: persistent}) got no pong within the
	 * timeout on its open connection; the connection is closed and opened again.
	 */
	NO_PONG,

	/**
	 * A persistent heartbeat's connection was closed or reset by the peer, between probes
	 * or while a pong was awaited.
	 */
	CLOSED,

	/**
	 * A {@code grpc://} target's health service answered, with a status other than
	 * {@code SERVING} ({@code NOT_SERVING}, {@code UNKNOWN}, {@code SERVICE_UNKNOWN}).
	 */
	NOT_SERVING,

	/**
	 * A {@code grpc://} call ended with a gRPC status that is none of the reasons above,
	 * such as {@code UNIMPLEMENTED} (no health service) or {@code NOT_FOUND} (the service
	 * name asked for is unknown); the message starts with the status code.
	 */
	GRPC_ERROR;

	/**
	 * The reason with a value.
	 * @param value a value such as {@code connection-refused}
	 * @return the reason, or null when there is none with that value
	 */
	public static @Nullable FailureReason fromValue(String value) {
		for (FailureReason reason : values()) {
			if (reason.value().equals(value)) {
				return reason;
			}
		}
		return null;
	}

	/** The stable lower-case, hyphenated value, such as {@code connection-refused}. */
	@JsonValue
	public String value() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
