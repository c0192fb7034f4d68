package dev.pulse.probe;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.jspecify.annotations.Nullable;
import reactor.netty.Connection;

import dev.pulse.transport.ConnectionInfo;

/**
 * The mutable record of one attempt of one probe: when each step happened and on which
 * connection. Written by reactor-netty callbacks of that attempt only (in order, on one
 * event loop at a time), read once when the probe ends.
 */
final class ProbeExchange {

	/**
	 * Reactor context key under which the attempt travels to the client-wide request
	 * hook.
	 */
	static final String CONTEXT_KEY = "pulse.probe.exchange";

	final long startNanos;

	volatile long requestNanos;

	volatile long responseNanos;

	volatile long endNanos;

	volatile @Nullable Connection connection;

	volatile @Nullable ConnectionInfo connectionInfo;

	volatile boolean reused;

	volatile @Nullable Integer status;

	volatile long bodyBytes;

	ProbeExchange(long startNanos) {
		this.startNanos = startNanos;
	}

	/** The connection is ready and the request is about to be written. */
	void onRequest(Connection connection) {
		this.requestNanos = System.nanoTime();
		this.connection = connection;
		ConnectionInfo info = ConnectionInfo.of(connection.channel());
		this.connectionInfo = info;
		this.reused = !info.claimRequest();
	}

	/** Response headers arrived. */
	void onResponse(int status) {
		this.responseNanos = System.nanoTime();
		this.status = status;
	}

	boolean responded() {
		return this.responseNanos != 0;
	}

	/**
	 * Close the connection so a stalled or half-read one is never returned to the pool.
	 */
	void closeConnection() {
		Connection current = this.connection;
		if (current != null) {
			current.dispose();
		}
	}

	@Nullable String peerAddress() {
		Connection current = this.connection;
		if (current == null) {
			return null;
		}
		SocketAddress remote = current.channel().remoteAddress();
		if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
			return inet.getAddress().getHostAddress();
		}
		return null;
	}

	/**
	 * Phases of this attempt; DNS is null for IP-literal hosts, where no lookup happens.
	 */
	Phases phases(boolean ipLiteralHost) {
		ConnectionInfo info = this.connectionInfo;
		if (info == null) {
			return Phases.NONE;
		}
		Double acquire;
		Double dns = null;
		Double connect = null;
		Double tls = null;
		if (this.reused) {
			acquire = millis(this.startNanos, this.requestNanos);
		}
		else {
			acquire = millis(this.startNanos, Math.max(this.startNanos, info.openedNanos()));
			dns = ipLiteralHost ? null : info.dnsMillis();
			connect = info.connectMillis();
			tls = info.tlsMillis();
		}
		Double ttfb = responded() ? millis(this.requestNanos, this.responseNanos) : null;
		Double transfer = (responded() && this.endNanos != 0) ? millis(this.responseNanos, this.endNanos) : null;
		return new Phases(acquire, dns, connect, tls, ttfb, transfer);
	}

	static @Nullable Double millis(long from, long to) {
		if (from == 0 || to == 0) {
			return null;
		}
		return Math.round(Math.max(0, to - from) / 1_000.0) / 1_000.0;
	}

}
