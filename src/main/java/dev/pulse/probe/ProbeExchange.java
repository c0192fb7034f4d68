package dev.pulse.probe;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;

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

	/**
	 * The channel opened for this attempt, from its creation on: until the request is
	 * written it is not yet {@link #connection}, and a connect or TLS handshake still
	 * under way must not outlive the probe.
	 */
	volatile @Nullable Channel opening;

	volatile @Nullable ConnectionInfo connectionInfo;

	volatile boolean reused;

	volatile @Nullable Integer status;

	volatile long bodyBytes;

	volatile @Nullable HttpHeaders headers;

	/**
	 * The kept body, only for targets whose conditions read it; grows to at most the cap.
	 */
	private byte @Nullable [] body;

	private int bodyLength;

	ProbeExchange(long startNanos) {
		this.startNanos = startNanos;
	}

	/** A new channel was created for this attempt; it still has to connect. */
	void onChannelInit(Channel channel) {
		this.opening = channel;
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
	void onResponse(int status, HttpHeaders headers) {
		this.responseNanos = System.nanoTime();
		this.status = status;
		this.headers = headers;
	}

	/** Copy a body buffer's bytes; the caller has already checked the cap. */
	void keep(ByteBuf buffer) {
		int length = buffer.readableBytes();
		byte[] current = this.body;
		if (current == null || current.length - this.bodyLength < length) {
			int wanted = Math.max(this.bodyLength + length, (current != null) ? current.length * 2 : 512);
			current = (current != null) ? Arrays.copyOf(current, wanted) : new byte[wanted];
			this.body = current;
		}
		buffer.getBytes(buffer.readerIndex(), current, this.bodyLength, length);
		this.bodyLength += length;
	}

	/**
	 * The kept body, or an empty one when the response had none; null when nothing was
	 * kept.
	 */
	byte @Nullable [] keptBody(boolean kept) {
		if (!kept || !responded()) {
			return null;
		}
		byte[] current = this.body;
		return (current == null) ? new byte[0] : Arrays.copyOf(current, this.bodyLength);
	}

	boolean responded() {
		return this.responseNanos != 0;
	}

	/**
	 * Close the connection so a stalled or half-read one is never returned to the pool,
	 * and a channel still connecting or in its TLS handshake for this attempt, which
	 * would otherwise stay open, and count as active in the pool, until its own connect
	 * or handshake timeout.
	 */
	void closeConnection() {
		Connection current = this.connection;
		if (current != null) {
			current.dispose();
		}
		// Only a channel this attempt still owns: one it never got a connection from, or
		// the one it is using. A connected channel the pool handed to another probe is
		// not
		// this attempt's to close.
		Channel channel = this.opening;
		if (channel != null && (current == null || current.channel() == channel)) {
			channel.close();
		}
	}

	@Nullable String peerAddress() {
		Connection current = this.connection;
		if (current == null) {
			return null;
		}
		SocketAddress remote = current.channel().remoteAddress();
		if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
			return AddressTexts.of(inet.getAddress());
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
