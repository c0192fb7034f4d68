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
import dev.pulse.transport.ProbeTransport;

/**
 * Probes {@code tcp://host:port}: connect, send {@code tcp.send} if any, and read until
 * the answer matches {@code tcp.expect} (or, without it, until the first bytes when a
 * condition reads {@code [BODY]}), all within the target's timeout. Each probe has a
 * connection of its own, closed on every path: success, failure, deadline and cancel.
 * Conditions see {@code [CONNECTED]}, {@code [BODY]} (the bytes read),
 * {@code [RESPONSE_TIME]} and {@code [IP]}, as in Gatus.
 */
final class TcpProber implements Prober {

	private final TcpClient guarded;

	private final TcpClient trusted;

	private final PersistentHeartbeats persistent;

	TcpProber(ProbeTransport transport) {
		this.guarded = transport.tcpClient(true);
		this.trusted = transport.tcpClient(false);
		this.persistent = new PersistentHeartbeats(this.guarded, this.trusted, transport.eventLoops());
	}

	/** Long-lived heartbeat connections held now. */
	int persistentConnections() {
		return this.persistent.open();
	}

	@Override
	public Mono<ProbeResult> probe(Target target) {
		if (target.tcp() != null && target.tcp().persistent()) {
			return this.persistent.probe(target);
		}
		return Mono.defer(() -> {
			Exchange exchange = new Exchange(Instant.now(), System.nanoTime());
			TcpClient client = (target.source() != Target.Source.CONFIG) ? this.guarded : this.trusted;
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

	/** One probe's connection, timings and bytes read. */
	private static final class Exchange {

		private final Instant startedAt;

		private final long startNanos;

		private volatile @Nullable Connection connection;

		private volatile long connectedNanos;

		private volatile long firstByteNanos;

		private volatile long lastByteNanos;

		private volatile @Nullable String peer;

		private final ByteArrayOutputStream read = new ByteArrayOutputStream();

		private volatile boolean matched;

		Exchange(Instant startedAt, long startNanos) {
			this.startedAt = startedAt;
			this.startNanos = startNanos;
		}

		Mono<Boolean> talk(Target target, Connection connection) {
			this.connection = connection;
			this.connectedNanos = System.nanoTime();
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
			Observation observation = new TcpObservation(this.connection != null, this.peer,
					Duration.ofNanos(endNanos - this.startNanos), body);
			Verdict verdict = Verdict.of(target, observation, failure,
					(this.connection == null) ? "connecting" : "waiting for the answer");
			return new ProbeResult(this.startedAt, verdict.reason() == null, null,
					ProbeExchange.millis(this.startNanos, Math.max(this.startNanos + 1, endNanos)), phases(), false,
					false, this.peer, body.length, verdict.reason(), verdict.error(), verdict.conditions(), 1);
		}

		/** Connect (DNS included), time to the first byte after it, and the rest. */
		private Phases phases() {
			if (this.connectedNanos == 0) {
				return Phases.NONE;
			}
			Double ttfb = (this.firstByteNanos != 0) ? ProbeExchange.millis(this.connectedNanos, this.firstByteNanos)
					: null;
			Double transfer = (this.firstByteNanos != 0) ? ProbeExchange.millis(this.firstByteNanos, this.lastByteNanos)
					: null;
			return new Phases(null, null, ProbeExchange.millis(this.startNanos, this.connectedNanos), null, ttfb,
					transfer);
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

	}

	/** What a TCP probe observed, for its conditions. */
	record TcpObservation(boolean connectedToPeer, @Nullable String peer, Duration elapsed,
			byte[] read) implements Observation {

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
