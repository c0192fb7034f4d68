package dev.pulse.probe;

import org.jspecify.annotations.Nullable;

/**
 * Where the time of one probe went, in milliseconds; null where a phase did not happen
 * (no DNS for an IP address, no connect or TLS on a reused connection, no transfer after
 * a failure).
 *
 * @param acquireMs waiting for a pooled connection, so queueing never hides inside
 * latency
 * @param dnsMs resolving the host name of a new connection
 * @param connectMs the TCP handshake of a new connection
 * @param tlsMs the TLS handshake of a new connection
 * @param ttfbMs from sending the request to the response headers
 * @param transferMs reading the body
 */
public record Phases(@Nullable Double acquireMs, @Nullable Double dnsMs, @Nullable Double connectMs,
		@Nullable Double tlsMs, @Nullable Double ttfbMs, @Nullable Double transferMs) {

	/** No phase measured: the probe never got a connection. */
	public static final Phases NONE = new Phases(null, null, null, null, null, null);

}
