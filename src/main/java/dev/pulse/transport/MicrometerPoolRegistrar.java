package dev.pulse.transport;

import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import reactor.netty.Metrics;
import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/**
 * Publishes reactor-netty's own pool gauges ({@code reactor.netty.connection.provider.*}
 * with the {@code name}, {@code id} and {@code remote.address} tags) on reactor-netty's
 * registry, {@link Metrics#REGISTRY} (Micrometer's global registry, which Spring Boot
 * feeds into its Prometheus registry), and forwards every pool to a delegate.
 * <p>
 * A custom registrar replaces reactor-netty's built-in one, which is package-private, so
 * this one registers the same gauges as it does, keeping the names dashboards expect.
 */
final class MicrometerPoolRegistrar implements ConnectionProvider.MeterRegistrar {

	private final ConnectionProvider.MeterRegistrar delegate;

	private final MeterRegistry registry;

	private final Map<String, List<Meter>> meters = new ConcurrentHashMap<>();

	MicrometerPoolRegistrar(ConnectionProvider.MeterRegistrar delegate) {
		this(delegate, Metrics.REGISTRY);
	}

	MicrometerPoolRegistrar(ConnectionProvider.MeterRegistrar delegate, MeterRegistry registry) {
		this.delegate = delegate;
		this.registry = registry;
	}

	@Override
	public void registerMetrics(String poolName, String id, SocketAddress remoteAddress,
			ConnectionPoolMetrics metrics) {
		this.delegate.registerMetrics(poolName, id, remoteAddress, metrics);
		Tags tags = Tags.of(Metrics.ID, id, Metrics.REMOTE_ADDRESS, Metrics.formatSocketAddress(remoteAddress),
				Metrics.NAME, poolName);
		List<Meter> registered = List.of(
				gauge(Metrics.TOTAL_CONNECTIONS, tags, metrics, ConnectionPoolMetrics::allocatedSize),
				gauge(Metrics.ACTIVE_CONNECTIONS, tags, metrics, ConnectionPoolMetrics::acquiredSize),
				gauge(Metrics.IDLE_CONNECTIONS, tags, metrics, ConnectionPoolMetrics::idleSize),
				gauge(Metrics.PENDING_CONNECTIONS, tags, metrics, ConnectionPoolMetrics::pendingAcquireSize),
				gauge(Metrics.MAX_CONNECTIONS, tags, metrics, ConnectionPoolMetrics::maxAllocatedSize),
				gauge(Metrics.MAX_PENDING_CONNECTIONS, tags, metrics, ConnectionPoolMetrics::maxPendingAcquireSize));
		this.meters.put(id, registered);
	}

	@Override
	public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
		this.delegate.deRegisterMetrics(poolName, id, remoteAddress);
		List<Meter> registered = this.meters.remove(id);
		if (registered != null) {
			registered.forEach(this.registry::remove);
		}
	}

	private Gauge gauge(String suffix, Tags tags, ConnectionPoolMetrics metrics,
			ToDoubleFunction<ConnectionPoolMetrics> value) {
		// Strong reference: the pool's metrics view must not be collected while the pool
		// lives; deRegisterMetrics drops it.
		return Gauge.builder(Metrics.CONNECTION_PROVIDER_PREFIX + suffix, metrics, value)
			.tags(tags)
			.strongReference(true)
			.register(this.registry);
	}

}
