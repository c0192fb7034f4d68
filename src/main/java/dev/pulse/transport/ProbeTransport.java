package dev.pulse.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The one connection pool and the HTTP clients every probe goes through.
 * <p>
 * All pooled clients share the {@code pulse-probes} {@link ConnectionProvider}, which
 * keeps one pool per remote host:port, capped at {@code max-connections-per-host}.
 * Fresh-connection clients open a new connection per probe and close it afterwards, for
 * targets that want honest connect and TLS timing. Clients are built once; picking one
 * per probe allocates nothing.
 */
public final class ProbeTransport implements AutoCloseable {

	private final TransportProperties properties;

	private final LoopResources loops;

	private final ConnectionProvider pool;

	private final PoolRegistrar registrar = new PoolRegistrar();

	private final ConnectionTracker tracker = new ConnectionTracker();

	// Indexed by (https ? 4 : 0) + (insecure ? 2 : 0) + (fresh ? 1 : 0).
	private final HttpClient[] clients = new HttpClient[8];

	public ProbeTransport(TransportProperties properties, String userAgent) {
		this.properties = properties;
		this.loops = LoopResources.create("pulse-probe", LoopResources.DEFAULT_IO_WORKER_COUNT, true);
		this.pool = buildPool(properties, this.registrar);
		SslContext insecure = insecureSslContext();
		for (int i = 0; i < this.clients.length; i++) {
			boolean https = (i & 4) != 0;
			boolean skipVerify = (i & 2) != 0;
			boolean fresh = (i & 1) != 0;
			HttpClient client = baseClient(fresh ? ConnectionProvider.newConnection() : this.pool, userAgent, !fresh);
			if (https) {
				client = skipVerify
						? client.secure(spec -> spec.sslContext(insecure)
							.handlerConfigurator(handler -> disableHostnameVerification(handler.engine())))
						: client.secure();
			}
			this.clients[i] = client;
		}
	}

	private static ConnectionProvider buildPool(TransportProperties properties, PoolRegistrar registrar) {
		ConnectionProvider.Builder builder = ConnectionProvider.builder("pulse-probes")
			.maxConnections(properties.maxConnectionsPerHost())
			.maxIdleTime(properties.maxIdleTime())
			.maxLifeTime(properties.maxLifeTime())
			.pendingAcquireMaxCount(properties.pendingAcquireMaxCount())
			.pendingAcquireTimeout(properties.pendingAcquireTimeout())
			// Most recently used first: steady heartbeats then ride one warm connection
			// per host
			// and the rest age out through max-idle-time, instead of round-robin keeping
			// all alive.
			.lifo()
			.metrics(true, () -> registrar);
		if (!properties.evictInBackground().isZero()) {
			builder.evictInBackground(properties.evictInBackground());
		}
		return builder.build();
	}

	private HttpClient baseClient(ConnectionProvider provider, String userAgent, boolean keepAlive) {
		return HttpClient.create(provider)
			.runOn(this.loops)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
					(int) Math.min(Integer.MAX_VALUE, this.properties.connectTimeout().toMillis()))
			// reactor-netty would silently resend on a stale pooled connection; the
			// prober does
			// that itself so the repeat is counted and shown in the result.
			.disableRetry(true)
			.followRedirect(this.properties.followRedirects())
			.keepAlive(keepAlive)
			.headers(headers -> headers.set(HttpHeaderNames.USER_AGENT, userAgent))
			.doOnChannelInit(this.tracker)
			.doOnResolve(connection -> ConnectionInfo.of(connection.channel()).resolveStartNanos = System.nanoTime())
			.doAfterResolve((connection,
					address) -> ConnectionInfo.of(connection.channel()).resolveEndNanos = System.nanoTime());
	}

	private static SslContext insecureSslContext() {
		try {
			return SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Cannot build the TLS context for insecure-skip-verify targets", ex);
		}
	}

	private static void disableHostnameVerification(SSLEngine engine) {
		SSLParameters parameters = engine.getSSLParameters();
		parameters.setEndpointIdentificationAlgorithm(null);
		engine.setSSLParameters(parameters);
	}

	/**
	 * The client for a kind of probe.
	 * @param https whether the URL is https
	 * @param insecureSkipVerify whether certificates go unchecked (https only)
	 * @param freshConnection whether the probe gets a connection of its own
	 * @return a client on the shared event loops
	 */
	public HttpClient client(boolean https, boolean insecureSkipVerify, boolean freshConnection) {
		return this.clients[(https ? 4 : 0) + ((https && insecureSkipVerify) ? 2 : 0) + (freshConnection ? 1 : 0)];
	}

	/**
	 * The event loops probes run on; the scheduler ticks on them too, so a probe starts
	 * without a hand-off.
	 */
	public EventLoopGroup eventLoops() {
		return this.loops.onClient(LoopResources.DEFAULT_NATIVE);
	}

	public TransportProperties properties() {
		return this.properties;
	}

	/**
	 * Active, idle and pending connections per host, with connections opened and closed.
	 */
	public PoolSnapshot snapshot() {
		Map<String, int[]> live = new LinkedHashMap<>();
		for (PoolRegistrar.Entry entry : this.registrar.pools()) {
			int[] counts = live.computeIfAbsent(entry.host(), key -> new int[3]);
			counts[0] += entry.metrics().acquiredSize();
			counts[1] += entry.metrics().idleSize();
			counts[2] += entry.metrics().pendingAcquireSize();
		}
		List<PoolSnapshot.Host> hosts = new ArrayList<>();
		this.tracker.hosts().forEach((host, counters) -> {
			int[] counts = live.getOrDefault(host, new int[3]);
			hosts.add(new PoolSnapshot.Host(host, counts[0], counts[1], counts[2], counters.opened.sum(),
					counters.closed.sum()));
		});
		hosts.sort((a, b) -> a.host().compareTo(b.host()));
		return new PoolSnapshot(List.copyOf(hosts));
	}

	/**
	 * Close every pooled connection and stop the event loops, waiting at most
	 * {@code timeout}.
	 */
	public void close(Duration timeout) {
		try {
			this.pool.disposeLater().block(timeout);
		}
		finally {
			this.loops.disposeLater(Duration.ZERO, timeout).block(timeout);
		}
	}

	@Override
	public void close() {
		close(Duration.ofSeconds(10));
	}

}
