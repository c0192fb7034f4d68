package dev.pulse.transport;

import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.netty.resources.ConnectionPoolMetrics;
import reactor.netty.resources.ConnectionProvider;

/**
 * Receives reactor-netty's live view of each per-host pool inside {@code pulse-probes},
 * so Pulse can read active, idle and pending counts without going through a meter
 * registry.
 */
final class PoolRegistrar implements ConnectionProvider.MeterRegistrar {

	private final Map<String, Entry> pools = new ConcurrentHashMap<>();

	@Override
	public void registerMetrics(String poolName, String id, SocketAddress remoteAddress,
			ConnectionPoolMetrics metrics) {
		this.pools.put(id, new Entry(ConnectionTracker.hostKey(remoteAddress), metrics));
	}

	@Override
	public void deRegisterMetrics(String poolName, String id, SocketAddress remoteAddress) {
		this.pools.remove(id);
	}

	Iterable<Entry> pools() {
		return this.pools.values();
	}

	record Entry(String host, ConnectionPoolMetrics metrics) {
	}

}
