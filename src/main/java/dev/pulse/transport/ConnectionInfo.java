package dev.pulse.transport;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one TCP connection while it was set up, and how many requests it has
 * carried. Kept as a channel attribute, so a probe that is handed a pooled connection can
 * tell whether it is the first to use it (and then report its DNS, connect and TLS times)
 * or a reuse.
 * <p>
 * Times are {@link System#nanoTime()} values; 0 means the step did not happen. Each is
 * written once, on the connection's event loop, before the connection is handed to a
 * request.
 */
public final class ConnectionInfo {

	private static final AttributeKey<ConnectionInfo> KEY = AttributeKey.valueOf("pulse.connection");

	final long openedNanos;

	volatile long resolveStartNanos;

	volatile long resolveEndNanos;

	volatile long connectStartNanos;

	volatile long connectEndNanos;

	volatile long tlsEndNanos;

	volatile @Nullable PeerCertificate certificate;

	private final AtomicInteger requests = new AtomicInteger();

	private ConnectionInfo(long openedNanos) {
		this.openedNanos = openedNanos;
	}

	/** The info of a channel, created when the channel is first seen. */
	public static ConnectionInfo of(Channel channel) {
		ConnectionInfo info = channel.attr(KEY).get();
		if (info == null) {
			ConnectionInfo created = new ConnectionInfo(System.nanoTime());
			info = channel.attr(KEY).setIfAbsent(created);
			return (info != null) ? info : created;
		}
		return info;
	}

	/** Count one more request on this connection; true when it is the first. */
	public boolean claimRequest() {
		return this.requests.getAndIncrement() == 0;
	}

	/** When the channel was created, before any DNS or connect. */
	public long openedNanos() {
		return this.openedNanos;
	}

	/** The peer's TLS certificate chain; null without TLS. */
	public @Nullable PeerCertificate certificate() {
		return this.certificate;
	}

	public @Nullable Double dnsMillis() {
		return millisBetween(this.resolveStartNanos, this.resolveEndNanos);
	}

	public @Nullable Double connectMillis() {
		return millisBetween(this.connectStartNanos, this.connectEndNanos);
	}

	public @Nullable Double tlsMillis() {
		return millisBetween(this.connectEndNanos, this.tlsEndNanos);
	}

	private static @Nullable Double millisBetween(long start, long end) {
		// Microsecond precision: finer digits are noise, and they bloat every result.
		return (start == 0 || end == 0) ? null : Math.round(Math.max(0, end - start) / 1_000.0) / 1_000.0;
	}

}
