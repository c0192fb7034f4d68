package dev.pulse.probe;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.tcp.TcpClient;

import dev.pulse.target.RetryPolicy;
import dev.pulse.target.Target;

/**
 * The article's heartbeat client ({@code heartbeat: persistent}): one connection per
 * target, opened once and kept across probes; each probe sends the ping
 * ({@code tcp.send}) on it and waits for the pong ({@code tcp.expect}) within the
 * timeout. A missed pong is {@code no-pong} and closes the connection; a connection the
 * peer closed, or that breaks while a pong is awaited, is {@code closed}. The next probe
 * opens a new one, but after a failed connect not before the target's retry backoff
 * (initial-backoff, growing by the multiplier up to max-backoff) has passed, so a target
 * that is down is not hammered with connects: probes meanwhile fail at once with the
 * connect's reason. A connection no probe used for two intervals and a timeout (the
 * target was removed, disabled, or moved to another replica) is closed by a sweep every
 * second.
 */
final class PersistentHeartbeats {

	private final TcpClient guarded;

	private final TcpClient trusted;

	private final Map<String, Held> held = new ConcurrentHashMap<>();

	PersistentHeartbeats(TcpClient guarded, TcpClient trusted, EventLoopGroup loops) {
		this.guarded = guarded;
		this.trusted = trusted;
		loops.next().scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
	}

	/** Connections held now, for tests and the benchmark. */
	int open() {
		return (int) this.held.values().stream().filter(Held::active).count();
	}

	Mono<ProbeResult> probe(Target target) {
		return Mono.defer(() -> {
			Instant startedAt = Instant.now();
			long start = System.nanoTime();
			Held current = this.held.get(target.name());
			if (current != null && !current.target.equals(target)) {
				// Changed settings or address: the old connection is of no use.
				this.held.remove(target.name(), current);
				current.close();
				current = null;
			}
			if (current != null && current.brokenSincePing()) {
				this.held.remove(target.name(), current);
				current.close();
				Held broken = current;
				return Mono
					.just(result(target, startedAt, start, broken, false, new TcpAnswerException(FailureReason.CLOSED,
							"the connection was closed since the last probe: " + broken.closeCause())));
			}
			if (current != null && current.active()) {
				Held reused = current;
				return reused.ping(target)
					.timeout(target.timeout())
					.map(read -> result(target, startedAt, start, reused, true, null))
					.onErrorResume(failure -> {
						this.held.remove(target.name(), reused);
						reused.close();
						return Mono.just(result(target, startedAt, start, reused, true, noPong(failure)));
					});
			}
			Backoff backoff = (current != null) ? current.backoff : null;
			if (backoff != null && System.nanoTime() < backoff.notBeforeNanos) {
				return Mono.just(result(target, startedAt, start, current, false,
						new TcpAnswerException(backoff.reason,
								"not reconnecting for another "
										+ TimeUnit.NANOSECONDS.toMillis(backoff.notBeforeNanos - System.nanoTime())
										+ " ms after a failed connect (retry backoff): " + backoff.error)));
			}
			Held fresh = new Held(target, start);
			this.held.put(target.name(), fresh);
			TcpClient client = (target.source() != Target.Source.CONFIG) ? this.guarded : this.trusted;
			return client.host(target.url().getHost()).port(target.url().getPort()).connect().flatMap(connection -> {
				fresh.connected(connection);
				return fresh.ping(target);
			}).timeout(target.timeout()).map(read -> {
				fresh.backoff = null;
				return result(target, startedAt, start, fresh, false, null);
			}).onErrorResume(failure -> {
				fresh.close();
				if (fresh.connection == null) {
					// The connect failed: wait before the next one.
					fresh.backoff = Backoff.after(backoff, target.retry(), FailureClassifier.classify(failure),
							FailureClassifier.describe(failure));
					return Mono.just(result(target, startedAt, start, fresh, false, failure));
				}
				this.held.remove(target.name(), fresh);
				return Mono.just(result(target, startedAt, start, fresh, false, noPong(failure)));
			}).doOnCancel(fresh::close);
		});
	}

	/** A timeout while a pong is awaited on an open connection is a missed pong. */
	private static Throwable noPong(Throwable failure) {
		if (failure instanceof TimeoutException) {
			return new TcpAnswerException(FailureReason.NO_PONG, "no pong within the timeout");
		}
		return failure;
	}

	private void sweep() {
		long now = System.nanoTime();
		this.held.forEach((name, connection) -> {
			long idle = connection.target.interval().multipliedBy(2).plus(connection.target.timeout()).toNanos();
			if (now - connection.lastUsedNanos > idle && connection.backoff == null) {
				this.held.remove(name, connection);
				connection.close();
			}
		});
	}

	private static ProbeResult result(Target target, Instant startedAt, long start, @Nullable Held held, boolean reused,
			@Nullable Throwable failure) {
		long end = System.nanoTime();
		byte[] read = (held != null) ? held.lastPong : new byte[0];
		StreamExchange.StreamObservation observation = new StreamExchange.StreamObservation(
				held != null && held.connection != null && failure == null, (held != null) ? held.peer : null,
				Duration.ofNanos(end - start), read, null);
		Verdict verdict = Verdict.of(target, observation, failure, "connecting");
		Phases phases = Phases.NONE;
		if (held != null && held.pingNanos != 0) {
			Double connect = (!reused && held.connectedNanos != 0) ? ProbeExchange.millis(start, held.connectedNanos)
					: null;
			Double pong = (held.pongNanos >= held.pingNanos) ? ProbeExchange.millis(held.pingNanos, held.pongNanos)
					: null;
			phases = new Phases(null, null, connect, null, pong, null);
		}
		return new ProbeResult(startedAt, verdict.reason() == null, null,
				ProbeExchange.millis(start, Math.max(start + 1, end)), phases, reused, false,
				(held != null) ? held.peer : null, read.length, verdict.reason(), verdict.error(), verdict.conditions(),
				1);
	}

	/** When the next connect may be tried, after failed ones. */
	private record Backoff(long notBeforeNanos, Duration delay, FailureReason reason, String error) {

		static Backoff after(@Nullable Backoff previous, RetryPolicy retry, FailureReason reason, String error) {
			Duration wait = (previous == null) ? retry.initialBackoff() : Duration.ofNanos(
					Math.min(retry.maxBackoff().toNanos(), (long) (previous.delay.toNanos() * retry.multiplier())));
			return new Backoff(System.nanoTime() + wait.toNanos(), wait, reason, error);
		}

	}

	/** One target's long-lived connection and the pong in progress. */
	private static final class Held {

		final Target target;

		volatile long lastUsedNanos;

		volatile @Nullable Connection connection;

		volatile long connectedNanos;

		volatile @Nullable String peer;

		volatile @Nullable Backoff backoff;

		volatile long pingNanos;

		volatile long pongNanos;

		volatile byte[] lastPong = new byte[0];

		volatile @Nullable String closedBy;

		private final ByteArrayOutputStream answer = new ByteArrayOutputStream();

		private Sinks.@Nullable One<byte[]> waiting;

		Held(Target target, long now) {
			this.target = target;
			this.lastUsedNanos = now;
		}

		void connected(Connection connection) {
			this.connection = connection;
			this.connectedNanos = System.nanoTime();
			SocketAddress remote = connection.channel().remoteAddress();
			if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
				this.peer = inet.getAddress().getHostAddress();
			}
			// One subscriber for the connection's life: every byte lands in the pong
			// buffer.
			connection.inbound()
				.receive()
				.doOnNext(this::onBytes)
				.then()
				.subscribe(null, error -> onClosed(FailureClassifier.describe(error)),
						() -> onClosed("closed by the peer"));
			connection.onDispose(() -> onClosed("closed"));
		}

		boolean active() {
			Connection connection = this.connection;
			return connection != null && !connection.isDisposed() && this.closedBy == null;
		}

		/** The peer closed the connection while no pong was awaited. */
		boolean brokenSincePing() {
			return this.connection != null && this.closedBy != null;
		}

		String closeCause() {
			return (this.closedBy != null) ? this.closedBy : "closed";
		}

		Mono<byte[]> ping(Target target) {
			Connection connection = this.connection;
			if (connection == null) {
				return Mono.error(new IllegalStateException("not connected"));
			}
			Sinks.One<byte[]> pong = Sinks.one();
			synchronized (this) {
				this.answer.reset();
				this.waiting = pong;
			}
			this.lastUsedNanos = System.nanoTime();
			this.pingNanos = System.nanoTime();
			Target.Tcp tcp = target.tcp();
			return connection.outbound()
				.sendByteArray(Mono.just(tcp.send()))
				.then()
				.then(pong.asMono())
				.doOnNext(bytes -> {
					this.pongNanos = System.nanoTime();
					this.lastPong = bytes;
				});
		}

		private void onBytes(ByteBuf buffer) {
			Target.Tcp tcp = this.target.tcp();
			Pattern expect = tcp.expect();
			Sinks.One<byte[]> pong;
			byte[] answered = null;
			synchronized (this) {
				int take = Math.min(buffer.readableBytes(), tcp.readBytes() - this.answer.size());
				if (take > 0) {
					byte[] bytes = new byte[take];
					buffer.getBytes(buffer.readerIndex(), bytes);
					this.answer.writeBytes(bytes);
				}
				pong = this.waiting;
				if (pong == null) {
					// Bytes nobody asked for: dropped, the next ping starts afresh.
					this.answer.reset();
					return;
				}
				String text = this.answer.toString(StandardCharsets.ISO_8859_1);
				if (expect.matcher(text).find()) {
					answered = this.answer.toByteArray();
					this.waiting = null;
				}
				else if (this.answer.size() >= tcp.readBytes()) {
					this.waiting = null;
					pong.tryEmitError(new TcpAnswerException(FailureReason.EXPECT_FAILED,
							tcp.readBytes() + " bytes read without a match for /" + expect.pattern() + "/"));
					return;
				}
			}
			if (answered != null) {
				pong.tryEmitValue(answered);
			}
		}

		private void onClosed(String how) {
			Sinks.One<byte[]> pong;
			synchronized (this) {
				if (this.closedBy == null) {
					this.closedBy = how;
				}
				pong = this.waiting;
				this.waiting = null;
			}
			if (pong != null) {
				pong.tryEmitError(new TcpAnswerException(FailureReason.CLOSED,
						"the connection was " + how + " while a pong was awaited"));
			}
		}

		void close() {
			Connection connection = this.connection;
			if (connection != null) {
				connection.dispose();
			}
		}

	}

}
