package dev.pulse.probe;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;

import dev.pulse.condition.Observation;
import dev.pulse.target.Target;
import dev.pulse.transport.ConnectionInfo;
import dev.pulse.transport.PeerCertificate;

/**
 * One {@code tcp://} or {@code tls://} probe: its connection, timings, the bytes read
 * and, over TLS, the certificate chain the peer presented. The connection is closed by
 * {@link #close()} on every path.
 */
final class StreamExchange {

	private final Instant startedAt;

	private final long startNanos;

	private volatile @Nullable Connection connection;

	private volatile long connectedNanos;

	private volatile long firstByteNanos;

	private volatile long lastByteNanos;

	private volatile @Nullable String peer;

	private final ByteArrayOutputStream read = new ByteArrayOutputStream();

	private volatile boolean matched;

	/** Over TLS: the connection's timings and the chain the peer presented. */
	private volatile @Nullable ConnectionInfo tls;

	private StreamExchange(Instant startedAt, long startNanos) {
		this.startedAt = startedAt;
		this.startNanos = startNanos;
	}

	/**
	 * One probe on a connection of its own: connect (and shake hands, over TLS), talk,
	 * judge, and close the connection whatever happened.
	 */
	static Mono<ProbeResult> run(TcpClient client, Target target) {
		return Mono.defer(() -> {
			StreamExchange exchange = new StreamExchange(Instant.now(), System.nanoTime());
			return client.host(target.url().getHost())
				.port(target.url().getPort())
				.connect()
				.flatMap(connection -> exchange.talk(target, connection))
				.timeout(target.timeout())
				.map(done -> exchange.result(target, null))
				.onErrorResume(failure -> Mono.just(exchange.result(target, failure)))
				.doFinally(signal -> exchange.close());
		});
	}

	Mono<Boolean> talk(Target target, Connection connection) {
		this.connection = connection;
		this.connectedNanos = System.nanoTime();
		if (target.kind() == Target.Kind.TLS) {
			// reactor-netty hands the connection over once the handshake is done.
			this.tls = ConnectionInfo.of(connection.channel());
		}
		SocketAddress remote = connection.channel().remoteAddress();
		if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
			this.peer = inet.getAddress().getHostAddress();
		}
		Target.Tcp tcp = target.tcp();
		byte[] send = (tcp != null) ? tcp.send() : new byte[0];
		Mono<Void> sent = (send.length > 0) ? connection.outbound().sendByteArray(Mono.just(send)).then()
				: Mono.empty();
		Pattern expect = (tcp != null) ? tcp.expect() : null;
		if (expect == null && !target.needsBody()) {
			return sent.thenReturn(true);
		}
		int bound = (tcp != null) ? tcp.readBytes() : 4096;
		Mono<Boolean> answer = connection.inbound()
			.receive()
			// reactor-netty releases each buffer after this returns: copy what is
			// kept.
			.map(buffer -> append(buffer, bound, expect))
			.takeUntil(done -> done)
			.then(Mono.fromCallable(() -> answered(expect, bound)));
		return sent.then(answer);
	}

	/** Keep the bytes of a chunk, up to the bound; true once the read is over. */
	private synchronized boolean append(ByteBuf buffer, int bound, @Nullable Pattern expect) {
		long now = System.nanoTime();
		if (this.firstByteNanos == 0) {
			this.firstByteNanos = now;
		}
		this.lastByteNanos = now;
		int take = Math.min(buffer.readableBytes(), bound - this.read.size());
		byte[] bytes = new byte[take];
		buffer.getBytes(buffer.readerIndex(), bytes);
		this.read.writeBytes(bytes);
		if (expect == null) {
			return true;
		}
		this.matched = expect.matcher(text()).find();
		return this.matched || this.read.size() >= bound;
	}

	/**
	 * Whether the read ended as expected; an error says how it did not.
	 */
	private synchronized boolean answered(@Nullable Pattern expect, int bound) {
		if (expect == null || this.matched) {
			return true;
		}
		if (this.read.size() == 0) {
			throw new TcpAnswerException(FailureReason.PREMATURE_CLOSE,
					"the peer closed the connection before answering");
		}
		String how = (this.read.size() >= bound) ? bound + " bytes read" : "the peer closed the connection";
		throw new TcpAnswerException(FailureReason.EXPECT_FAILED,
				how + " without a match for /" + expect.pattern() + "/: " + printable(this.read.toByteArray()));
	}

	private synchronized String text() {
		return this.read.toString(StandardCharsets.ISO_8859_1);
	}

	ProbeResult result(Target target, @Nullable Throwable failure) {
		long endNanos = System.nanoTime();
		byte[] body = bytes();
		ConnectionInfo tls = this.tls;
		PeerCertificate certificate = (tls != null) ? tls.certificate() : null;
		Observation observation = new StreamObservation(this.connection != null, this.peer,
				Duration.ofNanos(endNanos - this.startNanos), body,
				(certificate != null) ? Duration.between(this.startedAt, certificate.chainNotAfter()) : null);
		String stalled = (this.connection != null) ? "waiting for the answer"
				: (target.kind() == Target.Kind.TLS) ? "connecting or in the TLS handshake" : "connecting";
		Verdict verdict = Verdict.of(target, observation, failure, stalled);
		return new ProbeResult(this.startedAt, verdict.reason() == null, null,
				ProbeExchange.millis(this.startNanos, Math.max(this.startNanos + 1, endNanos)), phases(tls), false,
				false, this.peer, body.length, verdict.reason(), verdict.error(), verdict.conditions(), 1, certificate);
	}

	/**
	 * Connect (DNS included), the TLS handshake, time to the first byte after them, and
	 * the rest.
	 */
	private Phases phases(@Nullable ConnectionInfo tls) {
		if (this.connectedNanos == 0) {
			return Phases.NONE;
		}
		Double ttfb = (this.firstByteNanos != 0) ? ProbeExchange.millis(this.connectedNanos, this.firstByteNanos)
				: null;
		Double transfer = (this.firstByteNanos != 0) ? ProbeExchange.millis(this.firstByteNanos, this.lastByteNanos)
				: null;
		Double handshake = (tls != null) ? tls.tlsMillis() : null;
		double connect = ProbeExchange.millis(this.startNanos, this.connectedNanos);
		if (handshake != null) {
			connect = Math.max(0, connect - handshake);
		}
		return new Phases(null, null, connect, handshake, ttfb, transfer);
	}

	private synchronized byte[] bytes() {
		return this.read.toByteArray();
	}

	void close() {
		Connection connection = this.connection;
		if (connection != null) {
			connection.dispose();
		}
	}

	private static String printable(byte[] bytes) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < Math.min(bytes.length, 64); i++) {
			int b = bytes[i] & 0xff;
			text.append((b >= 0x20 && b < 0x7f && b != '\\') ? String.valueOf((char) b)
					: String.format(java.util.Locale.ROOT, "\\x%02x", b));
		}
		return (bytes.length > 64) ? text + "..." : text.toString();
	}

	/** What a TCP or TLS probe observed, for its conditions. */
	record StreamObservation(boolean connectedToPeer, @Nullable String peer, Duration elapsed, byte[] read,
			@Nullable Duration certificateExpiration) implements Observation {

		@Override
		public @Nullable Integer status() {
			return null;
		}

		@Override
		public Duration responseTime() {
			return this.elapsed;
		}

		@Override
		public @Nullable String ip() {
			return this.peer;
		}

		@Override
		public Boolean connected() {
			return this.connectedToPeer;
		}

		@Override
		public byte[] body() {
			return this.read;
		}

	}

}
