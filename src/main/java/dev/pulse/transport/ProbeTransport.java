package dev.pulse.transport;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.resolver.dns.DnsAddressResolverGroup;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.TcpClient;
import reactor.netty.resources.LoopResources;
import reactor.netty.transport.NameResolverProvider;

/**
 * The one connection pool and the HTTP clients every probe goes through.
 * <p>
 * All pooled clients share the {@code pulse-probes} {@link ConnectionProvider}, which
 * keeps one pool per remote host:port, capped at {@code max-connections-per-host}.
 * Fresh-connection clients open a new connection per probe and close it afterwards, for
 * targets that want honest connect and TLS timing. Guarded clients check every address
 * they connect to, after DNS and on every redirect hop, against an {@link AddressPolicy}
 * and refuse denied ones with {@link BlockedAddressException}; their connections live in
 * pools of their own, so they never reuse a connection an unguarded client opened.
 * Clients are built once; picking one per probe allocates nothing.
 */
public final class ProbeTransport implements AutoCloseable {

	private final TransportProperties properties;

	private final LoopResources loops;

	private final ConnectionProvider pool;

	private final PoolRegistrar registrar = new PoolRegistrar();

	private final ConnectionTracker tracker = new ConnectionTracker();

	// Bits of the index: guarded 8, https 4, insecure 2, fresh 1.
	private final HttpClient[] clients = new HttpClient[16];

	/**
	 * A transport without a guard: guarded clients are the plain ones.
	 * @param properties the pool and client settings
	 * @param userAgent the {@code User-Agent} header
	 */
	private final TcpClient[] tcpClients = new TcpClient[2];

	/** TLS stream clients by {@code guarded * 2 + insecureSkipVerify}. */
	private final TcpClient[] tlsClients = new TcpClient[4];

	private final String userAgent;

	private final @Nullable ConnectGuard connectGuard;

	public ProbeTransport(TransportProperties properties, String userAgent) {
		this(properties, userAgent, null);
	}

	/**
	 * A transport whose guarded clients connect only to addresses the policy allows.
	 * @param properties the pool and client settings
	 * @param userAgent the {@code User-Agent} header
	 * @param guard the policy of guarded clients; null makes them the plain ones
	 */
	public ProbeTransport(TransportProperties properties, String userAgent, @Nullable AddressPolicy guard) {
		this(properties, userAgent, guard, List.of(), null);
	}

	/**
	 * A transport whose verifying clients trust {@code trusted} instead of the JVM's
	 * trust store. reactor-netty builds its default TLS context once per JVM, so tests
	 * that need a certificate checked for expiry or host name against their own CA pass
	 * it here; host name verification stays on.
	 * @param properties the pool and client settings
	 * @param userAgent the {@code User-Agent} header
	 * @param guard the policy of guarded clients; null makes them the plain ones
	 * @param trusted the TLS context of https clients that verify certificates
	 */
	public ProbeTransport(TransportProperties properties, String userAgent, @Nullable AddressPolicy guard,
			SslContext trusted) {
		this(properties, userAgent, guard, List.of(), trusted);
	}

	/**
	 * A transport whose guarded clients connect only to addresses the policy allows, and
	 * whose clients ask the given name servers.
	 * @param properties the pool and client settings
	 * @param userAgent the {@code User-Agent} header
	 * @param guard the policy of guarded clients; null makes them the plain ones
	 * @param dnsServers the name servers, in order; empty for the system's
	 */
	public ProbeTransport(TransportProperties properties, String userAgent, @Nullable AddressPolicy guard,
			List<InetSocketAddress> dnsServers) {
		this(properties, userAgent, guard, dnsServers, null);
	}

	/**
	 * The full form.
	 * @param properties the pool and client settings
	 * @param userAgent the {@code User-Agent} header
	 * @param guard the policy of guarded clients; null makes them the plain ones
	 * @param dnsServers the name servers, in order; empty for the system's
	 * @param trusted the TLS context of https clients that verify certificates; null for
	 * reactor-netty's default, which trusts the JVM's trust store
	 */
	public ProbeTransport(TransportProperties properties, String userAgent, @Nullable AddressPolicy guard,
			List<InetSocketAddress> dnsServers, @Nullable SslContext trusted) {
		this.properties = properties;
		this.userAgent = userAgent;
		this.loops = LoopResources.create("pulse-probe", LoopResources.DEFAULT_IO_WORKER_COUNT, true);
		this.pool = buildPool(properties, this.registrar);
		SslContext insecure = insecureSslContext();
		ConnectGuard connectGuard = (guard != null) ? new ConnectGuard(guard) : null;
		this.connectGuard = connectGuard;
		Consumer<NameResolverProvider.NameResolverSpec> resolver = nameServers(dnsServers);
		for (int i = 0; i < 8; i++) {
			boolean https = (i & 4) != 0;
			boolean skipVerify = (i & 2) != 0;
			boolean fresh = (i & 1) != 0;
			HttpClient client = baseClient(fresh ? ConnectionProvider.newConnection() : this.pool, userAgent, !fresh);
			if (resolver != null) {
				client = client.resolver(resolver);
			}
			if (https) {
				client = skipVerify
						? client.secure(spec -> spec.sslContext(insecure)
							.handlerConfigurator(handler -> disableHostnameVerification(handler.engine())))
						: (trusted != null) ? client.secure(spec -> spec.sslContext(trusted)) : client.secure();
			}
			this.clients[i] = client;
			this.clients[8 + i] = (connectGuard != null) ? guarded(client, connectGuard) : client;
		}
		TcpClient tcp = TcpClient.create(ConnectionProvider.newConnection())
			.runOn(this.loops)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
					(int) Math.min(Integer.MAX_VALUE, this.properties.connectTimeout().toMillis()))
			.option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
		if (resolver != null) {
			tcp = tcp.resolver(resolver);
		}
		this.tcpClients[0] = tcp;
		this.tcpClients[1] = (connectGuard != null) ? tcp.doOnChannelInit(connectGuard)
			.resolvedAddressesSelector((config, resolved) -> connectGuard.select(resolved)) : tcp;
		for (int i = 0; i < 4; i++) {
			boolean skipVerify = (i & 1) != 0;
			SslContext context = skipVerify ? insecure : (trusted != null) ? trusted : defaultSslContext();
			TcpClient tls = this.tcpClients[i >> 1].doOnChannelInit(this.tracker)
				.secure(spec -> spec.sslContext(context).handlerConfigurator(handler -> {
					// The peer's host name (the URL's) is sent as SNI by the engine;
					// check
					// the certificate against it too, unless told not to.
					SSLEngine engine = handler.engine();
					SSLParameters parameters = engine.getSSLParameters();
					parameters.setEndpointIdentificationAlgorithm(skipVerify ? null : "HTTPS");
					String host = engine.getPeerHost();
					if (host != null && !NetUtil.isValidIpV4Address(host) && !NetUtil.isValidIpV6Address(host)) {
						// The JDK leaves SNI out for a name without a dot (such as a
						// Kubernetes Service's short name); Go and curl send it.
						parameters.setServerNames(List.of(new SNIHostName(host)));
					}
					engine.setSSLParameters(parameters);
				}));
			this.tlsClients[i] = tls;
		}
	}

	/**
	 * The TLS client of {@code tls://} probes: like {@link #tcpClient}, with a handshake
	 * that sends the URL's host as SNI and, unless skipped, checks the chain against the
	 * trust store and the host name against the certificate; the handshake's time and the
	 * peer's chain land in the connection's {@link ConnectionInfo}.
	 * @param guarded whether every address connected to is checked against the
	 * transport's {@link AddressPolicy}
	 * @param insecureSkipVerify whether the chain and host name go unchecked
	 */
	public TcpClient tlsClient(boolean guarded, boolean insecureSkipVerify) {
		return this.tlsClients[(guarded ? 2 : 0) + (insecureSkipVerify ? 1 : 0)];
	}

	/** The {@code User-Agent} of every probe. */
	public String userAgent() {
		return this.userAgent;
	}

	/**
	 * The handler that refuses connects to denied addresses, for a client that builds its
	 * own pipeline (gRPC): put it first in the pipeline. Null without a guard.
	 */
	public @Nullable ChannelHandler connectGuard() {
		return this.connectGuard;
	}

	/** The socket channel class of {@link #eventLoops()}: epoll's, or NIO's. */
	public Class<? extends SocketChannel> socketChannelType() {
		return this.loops.onChannelClass(SocketChannel.class, eventLoops());
	}

	private static SslContext defaultSslContext() {
		try {
			return SslContextBuilder.forClient().build();
		}
		catch (SSLException ex) {
			throw new IllegalStateException("Cannot build the TLS context of tls:// targets", ex);
		}
	}

	/**
	 * The TCP client of {@code tcp://} probes: a connection of its own per probe (a probe
	 * talks a protocol of its own on it, so a connection is never shared), on the shared
	 * event loops and resolver.
	 * @param guarded whether every address connected to is checked against the
	 * transport's {@link AddressPolicy}
	 */
	public TcpClient tcpClient(boolean guarded) {
		return this.tcpClients[guarded ? 1 : 0];
	}

	/**
	 * The client with the guard in front of every connect. The selector also makes the
	 * pool key differ (reactor-netty hashes it into the key), so guarded connections are
	 * pooled apart from unguarded ones to the same host:port.
	 */
	private static HttpClient guarded(HttpClient client, ConnectGuard guard) {
		return client.doOnChannelInit(guard).resolvedAddressesSelector((config, resolved) -> guard.select(resolved));
	}

	/**
	 * reactor-netty's DNS resolver, with only its name servers replaced; null keeps the
	 * system's. One spec for every client, so they share one resolver (and its cache).
	 */
	private static @Nullable Consumer<NameResolverProvider.NameResolverSpec> nameServers(
			List<InetSocketAddress> servers) {
		if (servers.isEmpty()) {
			return null;
		}
		SequentialDnsServerAddressStreamProvider provider = new SequentialDnsServerAddressStreamProvider(servers);
		Function<io.netty.resolver.dns.DnsNameResolverBuilder, DnsAddressResolverGroup> group = (
				builder) -> new DnsAddressResolverGroup(builder.nameServerProvider(provider));
		return (spec) -> spec.dnsAddressResolverGroupProvider(group);
	}

	private static ConnectionProvider buildPool(TransportProperties properties, PoolRegistrar registrar) {
		MicrometerPoolRegistrar meters = new MicrometerPoolRegistrar(registrar);
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
			// Pulse's own view for snapshot(), plus reactor-netty's standard pool gauges.
			.metrics(true, () -> meters);
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
			// Netty 4.2's default adaptive allocator let direct memory climb from 2.7 to
			// 53 MiB in a 10-minute soak against faulty servers (bench/soak.sh); the
			// pooled
			// allocator stayed flat at about 18 MiB (docs/reliability.md, "Soak").
			.option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
			// reactor-netty would silently resend on a stale pooled connection; the
			// prober does that itself so the repeat is counted and shown in the result.
			.disableRetry(true)
			.followRedirect(this.properties.followRedirects())
			.keepAlive(keepAlive)
			.headers(headers -> headers.set(HttpHeaderNames.USER_AGENT, userAgent))
			.doOnChannelInit(this.tracker)
			.doOnChannelInit(InterimResponseFilter::install)
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
	 * The unguarded client for a kind of probe.
	 * @param https whether the URL is https
	 * @param insecureSkipVerify whether certificates go unchecked (https only)
	 * @param freshConnection whether the probe gets a connection of its own
	 * @return a client on the shared event loops
	 */
	public HttpClient client(boolean https, boolean insecureSkipVerify, boolean freshConnection) {
		return client(https, insecureSkipVerify, freshConnection, false);
	}

	/**
	 * The client for a kind of probe.
	 * @param https whether the URL is https
	 * @param insecureSkipVerify whether certificates go unchecked (https only)
	 * @param freshConnection whether the probe gets a connection of its own
	 * @param guarded whether every address connected to, redirects included, is checked
	 * against the transport's {@link AddressPolicy}
	 * @return a client on the shared event loops
	 */
	public HttpClient client(boolean https, boolean insecureSkipVerify, boolean freshConnection, boolean guarded) {
		return this.clients[(guarded ? 8 : 0) + (https ? 4 : 0) + ((https && insecureSkipVerify) ? 2 : 0)
				+ (freshConnection ? 1 : 0)];
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
