package dev.pulse.schedule;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.pulse.condition.Condition;
import dev.pulse.probe.ProbeResult;
import dev.pulse.probe.Prober;
import dev.pulse.target.RetryPolicy;
import dev.pulse.target.Target;

/**
 * Runs one full probe against Pulse's own {@code /heartbeat} on every event loop before
 * the first round, so the first probe of a real target does not pay for a cold JVM: class
 * loading of the pool, the codecs, the resolver, the conditions and the result, the first
 * connect of each loop, and the TLS classes. On a cold start those cost a first probe
 * 100-900 ms of pool acquire, enough to fail a healthy target with {@code timeout} and
 * start it DOWN. The warm-up probes go through the real prober but to no listener: they
 * are no target's result, and nothing counts them.
 */
@Component
public class TransportWarmup implements ApplicationListener<WebServerInitializedEvent> {

	/** How long the warm-up may hold up the first round; it never fails the start. */
	static final Duration DEADLINE = Duration.ofSeconds(5);

	private static final Logger logger = LoggerFactory.getLogger(TransportWarmup.class);

	private final Environment environment;

	private volatile @Nullable URI heartbeat;

	public TransportWarmup(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		// The main server only: a separate management server has no /heartbeat.
		if (event.getApplicationContext().getServerNamespace() == null && event.getWebServer().getPort() > 0) {
			String address = this.environment.getProperty("server.address", "127.0.0.1");
			if (address.isBlank() || address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]")) {
				address = "127.0.0.1";
			}
			String host = address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
			this.heartbeat = URI.create("http://" + host + ":" + event.getWebServer().getPort() + "/heartbeat");
		}
	}

	/**
	 * Where the warm-up probes go, or null before the web server is up (or without one).
	 */
	@Nullable URI heartbeat() {
		return this.heartbeat;
	}

	/**
	 * Warm every loop, waiting at most {@link #DEADLINE}.
	 * @return how many loops a warm-up probe succeeded on
	 */
	int warmUp(Prober prober, EventLoopGroup loops) {
		URI uri = this.heartbeat;
		if (uri == null) {
			warmTls();
			logger.debug("No web server to warm the transport against");
			return 0;
		}
		return warmUp(prober, loops, uri);
	}

	/**
	 * Warm every loop against a given URL, waiting at most {@link #DEADLINE}.
	 * @return how many loops a warm-up probe succeeded on
	 */
	public static int warmUp(Prober prober, EventLoopGroup loops, URI uri) {
		long started = System.nanoTime();
		warmTls();
		Target target = target(uri);
		List<EventExecutor> executors = new ArrayList<>();
		loops.forEach(executors::add);
		CountDownLatch done = new CountDownLatch(executors.size());
		AtomicInteger succeeded = new AtomicInteger();
		// From inside each loop, so the pool colocates the connection (and its first
		// connect) on that loop.
		for (EventExecutor loop : executors) {
			loop.execute(() -> prober.probe(target).doFinally(signal -> done.countDown()).subscribe(result -> {
				if (result.success()) {
					succeeded.incrementAndGet();
				}
				else {
					logger.debug("Warm-up probe failed: {}", describe(result));
				}
			}, error -> logger.debug("Warm-up probe failed", error)));
		}
		try {
			if (!done.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("Transport warm-up against {} did not finish in {} ms; scheduling anyway", uri,
						DEADLINE.toMillis());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		logger.info("Transport warmed up on {}/{} event loop(s) against {} in {} ms", succeeded.get(), executors.size(),
				uri, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
		return succeeded.get();
	}

	/**
	 * JSSE's first engine loads and initialises its providers and the JVM's trust store,
	 * hundreds of milliseconds on a cold JVM that the first https probe would otherwise
	 * pay.
	 */
	private static void warmTls() {
		try {
			ReferenceCountUtil.release(SslContextBuilder.forClient()
				.trustManager(InsecureTrustManagerFactory.INSTANCE)
				.build()
				.newEngine(ByteBufAllocator.DEFAULT));
			javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory
				.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
			trust.init((java.security.KeyStore) null);
		}
		catch (Exception ex) {
			logger.debug("TLS warm-up failed", ex);
		}
	}

	private static Target target(URI uri) {
		// Every part of a typical exchange: a status, a JSON body and a timing condition.
		List<Condition> conditions = List.of(Condition.parse("[STATUS] == 200"), Condition.parse("[BODY].status == UP"),
				Condition.parse("[RESPONSE_TIME] < 5000"));
		return new Target("pulse-warmup", "pulse-warmup", uri, "GET", Map.of(), null, DEADLINE, DEADLINE, Duration.ZERO,
				conditions, 1, false, false, true, Target.Source.CONFIG,
				new RetryPolicy(1, Duration.ofMillis(200), 2.0, 0.5, Duration.ofMillis(200), List.of()));
	}

	private static String describe(ProbeResult result) {
		return (result.reason() != null) ? result.reason().value() + ": " + result.error() : "failure";
	}

}
