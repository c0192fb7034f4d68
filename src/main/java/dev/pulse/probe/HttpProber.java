package dev.pulse.probe;

import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyOutbound;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.http.client.HttpClientResponse;
import reactor.util.context.Context;

import dev.pulse.target.Target;
import dev.pulse.transport.ProbeTransport;

/**
 * Probes over HTTP(S) through the shared {@link ProbeTransport}, in phases: acquire and
 * send, receive the headers, read the body under its cap, evaluate the conditions, build
 * the result.
 * <p>
 * The deadline is an outer timeout over the whole exchange, because reactor-netty's
 * {@code responseTimeout} is per read and never ends a body that trickles. On the
 * deadline, and on every failure before the body is complete, the connection is closed
 * while the probe still owns it, so a half-read connection never goes back to the pool.
 */
final class HttpProber implements Prober {

	private static final Logger logger = LoggerFactory.getLogger(HttpProber.class);

	/**
	 * Closing a channel that is still connecting fails its connect, after the probe has
	 * already ended (deadline, cancel): Reactor then drops that error, by default as an
	 * ERROR with a stack trace per probe. The probe's result already says what happened.
	 */
	private static final Context DROPPED_AFTER_CLOSE = Context.of("reactor.onErrorDropped.local",
			(Consumer<Throwable>) HttpProber::droppedAfterEnd);

	// Bits of the index: guarded 8, https 4, insecure 2, fresh 1.
	private final HttpClient[] clients = new HttpClient[16];

	private final long maxBodyBytes;

	private final EventExecutor[] loops;

	private final Scheduler[] loopTimers;

	private final @Nullable ProbeIdentity identity;

	HttpProber(ProbeTransport transport) {
		this(transport, null);
	}

	HttpProber(ProbeTransport transport, @Nullable ProbeIdentity identity) {
		this.identity = identity;
		for (int i = 0; i < this.clients.length; i++) {
			// One client-wide hook finds the attempt in the subscriber context: no
			// per-probe client copies.
			this.clients[i] = transport.client((i & 4) != 0, (i & 2) != 0, (i & 1) != 0, (i & 8) != 0)
				.doOnChannelInit(HttpProber::onChannelInit)
				.doOnRequest(HttpProber::onRequest);
		}
		this.maxBodyBytes = transport.properties().maxBodyBytes().toBytes();
		EventLoopGroup group = transport.eventLoops();
		List<EventExecutor> executors = new ArrayList<>();
		group.forEach(executors::add);
		this.loops = executors.toArray(EventExecutor[]::new);
		this.loopTimers = new Scheduler[this.loops.length];
		for (int i = 0; i < this.loops.length; i++) {
			this.loopTimers[i] = Schedulers.fromExecutorService(this.loops[i], "pulse-probe-timer-" + i);
		}
	}

	/**
	 * API and discovered targets get a guarded client (SSRF policy); configured targets
	 * are trusted.
	 */
	private HttpClient client(Target target, boolean fresh) {
		boolean https = "https".equalsIgnoreCase(target.url().getScheme());
		boolean insecure = https && target.insecureSkipVerify();
		boolean guarded = target.source() != Target.Source.CONFIG;
		return this.clients[(guarded ? 8 : 0) + (https ? 4 : 0) + (insecure ? 2 : 0) + (fresh ? 1 : 0)];
	}

	@Override
	public Mono<ProbeResult> probe(Target target) {
		return Mono.defer(() -> {
			ProbeRun run = new ProbeRun(Instant.now(), System.nanoTime());
			return attemptWithStaleRepeat(target, run).timeout(target.timeout(), timer())
				.map(exchange -> run.result(target, null))
				.onErrorResume(failure -> {
					run.current.closeConnection();
					return Mono.just(run.result(target, failure));
				})
				// Cancelled from outside (shutdown, target removed): close before the
				// pool sees it.
				.doOnCancel(() -> run.current.closeConnection());
		}).contextWrite(DROPPED_AFTER_CLOSE);
	}

	private static void droppedAfterEnd(Throwable error) {
		logger.debug("Error after the probe ended: {}", error.toString());
	}

	/**
	 * Run the request; if a reused connection was already closed by the peer, repeat once
	 * on a new one.
	 */
	private Mono<ProbeExchange> attemptWithStaleRepeat(Target target, ProbeRun run) {
		Mono<ProbeExchange> first = attempt(target, client(target, target.freshConnection()), run.current);
		return first.onErrorResume(failure -> isStale(failure, run.current), failure -> {
			run.staleRetried = true;
			run.current = new ProbeExchange(System.nanoTime());
			return attempt(target, client(target, true), run.current);
		});
	}

	private static boolean isStale(Throwable failure, ProbeExchange exchange) {
		if (!exchange.reused || exchange.responded()) {
			return false;
		}
		FailureReason reason = FailureClassifier.classify(failure);
		return reason == FailureReason.PREMATURE_CLOSE || reason == FailureReason.CONNECTION_RESET;
	}

	private Mono<ProbeExchange> attempt(Target target, HttpClient client, ProbeExchange exchange) {
		return client.request(HttpMethod.valueOf(target.method()))
			.uri(target.url())
			.send((request, outbound) -> send(target, this.identity, request, outbound))
			.responseConnection((response, connection) -> receive(target, response, connection, exchange))
			// single(), not next(): wait for the exchange to complete, so the connection
			// is back
			// in the pool before the result is out and the next probe can reuse it.
			.single()
			// Closing here, upstream of reactor-netty, runs before it sees the cancel.
			.doOnCancel(exchange::closeConnection)
			.contextWrite(Context.of(ProbeExchange.CONTEXT_KEY, exchange));
	}

	/**
	 * A new channel is being opened: for a pooled client too, the observer carries the
	 * context of the probe whose acquire made the pool open it.
	 */
	private static void onChannelInit(ConnectionObserver observer, Channel channel,
			@Nullable SocketAddress remoteAddress) {
		ProbeExchange exchange = observer.currentContext().getOrDefault(ProbeExchange.CONTEXT_KEY, null);
		if (exchange != null) {
			exchange.onChannelInit(channel);
		}
	}

	private static void onRequest(HttpClientRequest request, Connection connection) {
		ProbeExchange exchange = request.currentContextView().getOrDefault(ProbeExchange.CONTEXT_KEY, null);
		if (exchange != null) {
			exchange.onRequest(connection);
		}
	}

	private static Publisher<Void> send(Target target, @Nullable ProbeIdentity identity, HttpClientRequest request,
			NettyOutbound outbound) {
		target.headers().forEach(request::header);
		if (identity != null) {
			request.header(identity.header(), identity.value());
		}
		if (target.body() == null) {
			return outbound;
		}
		return outbound.sendByteArray(Mono.just(target.body().getBytes(StandardCharsets.UTF_8)));
	}

	private Mono<ProbeExchange> receive(Target target, HttpClientResponse response, Connection connection,
			ProbeExchange exchange) {
		exchange.onResponse(response.status().code(), response.responseHeaders());
		boolean keepBody = target.needsBody();
		String declared = response.responseHeaders().get(HttpHeaderNames.CONTENT_LENGTH);
		if (declared != null && parseLength(declared) > this.maxBodyBytes) {
			// Refuse up front rather than read a body we already know is too large.
			exchange.closeConnection();
			return Mono.error(new BodyTooLargeException(this.maxBodyBytes));
		}
		return connection.inbound().receive().doOnNext(buffer -> {
			// reactor-netty releases each buffer after this returns; only its size is
			// kept.
			exchange.bodyBytes += buffer.readableBytes();
			if (exchange.bodyBytes > this.maxBodyBytes) {
				throw new BodyTooLargeException(this.maxBodyBytes);
			}
			if (keepBody) {
				exchange.keep(buffer);
			}
		}).doOnError(BodyTooLargeException.class, tooLarge -> exchange.closeConnection()).then(Mono.fromSupplier(() -> {
			exchange.endNanos = System.nanoTime();
			return exchange;
		}));
	}

	private static long parseLength(String value) {
		try {
			return Long.parseLong(value.trim());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	/**
	 * The timeout timer of the event loop this probe started on, so arming it needs no
	 * hand-off.
	 */
	private Scheduler timer() {
		for (int i = 0; i < this.loops.length; i++) {
			if (this.loops[i].inEventLoop()) {
				return this.loopTimers[i];
			}
		}
		return Schedulers.parallel();
	}

}
