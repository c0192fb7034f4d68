package dev.pulse.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.stereotype.Component;

import dev.pulse.transport.PoolSnapshot;
import dev.pulse.transport.ProbeTransport;

/**
 * {@code /actuator/connections}: per remote host:port, the pool's active, idle and
 * pending connections, the connections opened and closed, how many probes each opened
 * connection carried (the keep-alive reuse ratio), and Pulse's sockets to the host by TCP
 * state, so an operator sees at a glance whether connections are reused or pile up.
 */
@Component
@Endpoint(id = "connections")
public class ConnectionsEndpoint {

	private final ProbeTransport transport;

	private final MetricsRecorder recorder;

	private final SocketTable sockets;

	public ConnectionsEndpoint(ProbeTransport transport, MetricsRecorder recorder, SocketTable sockets) {
		this.transport = transport;
		this.recorder = recorder;
		this.sockets = sockets;
	}

	@ReadOperation
	public ConnectionsDescriptor connections() {
		Map<String, PoolSnapshot.Host> pool = new TreeMap<>();
		this.transport.snapshot().hosts().forEach(host -> pool.put(host.host(), host));
		Map<String, HostCounts> counts = new TreeMap<>(this.recorder.hosts());
		Set<String> names = new TreeSet<>(pool.keySet());
		names.addAll(counts.keySet());
		List<HostConnections> hosts = new ArrayList<>();
		for (String name : names) {
			PoolSnapshot.Host live = pool.get(name);
			HostCounts recorded = counts.get(name);
			long probes = (recorded != null) ? recorded.probes.sum() : 0;
			long opened = (recorded != null) ? recorded.opened.sum() : 0;
			hosts.add(new HostConnections(name, (live != null) ? live.active() : 0, (live != null) ? live.idle() : 0,
					(live != null) ? live.pending() : 0, (live != null) ? live.opened() : 0,
					(live != null) ? live.closed() : 0, probes, opened,
					(opened > 0) ? Math.round(probes * 100.0 / opened) / 100.0 : null, sockets(recorded)));
		}
		return new ConnectionsDescriptor(hosts);
	}

	private @Nullable Map<String, Integer> sockets(@Nullable HostCounts recorded) {
		if (!this.sockets.available()) {
			return null;
		}
		String key = (recorded != null) ? recorded.socketKey : null;
		Map<String, Integer> states = new LinkedHashMap<>();
		if (key != null) {
			this.sockets.sockets(key).forEach((state, count) -> states.put(state.label(), count));
		}
		return states;
	}

	/**
	 * Every remote host Pulse has connected to or probed.
	 *
	 * @param hosts one entry per host:port, in name order
	 */
	public record ConnectionsDescriptor(List<HostConnections> hosts) {

		public ConnectionsDescriptor {
			hosts = List.copyOf(hosts);
		}

	}

	/**
	 * One remote host:port.
	 *
	 * @param host host:port as written in the target URLs
	 * @param active pooled connections lent to probes now
	 * @param idle pooled connections waiting for the next probe
	 * @param pending probes waiting for a connection
	 * @param opened TCP connections opened to the host so far, by any probe
	 * @param closed TCP connections closed so far
	 * @param probes probe results recorded for the host's targets
	 * @param connectionsOpened new connections those probes reported
	 * @param reuseRatio probes per connection opened (higher is better reuse), or null
	 * before any connection was opened
	 * @param sockets Pulse's sockets to the host's latest ip:port by TCP state (states
	 * with none are left out), or null where {@code /proc/net/tcp} does not exist
	 */
	public record HostConnections(String host, int active, int idle, int pending, long opened, long closed, long probes,
			long connectionsOpened, @Nullable Double reuseRatio, @Nullable Map<String, Integer> sockets) {

		public HostConnections {
			// Kept in TCP state order.
			sockets = (sockets != null) ? Collections.unmodifiableMap(new LinkedHashMap<>(sockets)) : null;
		}

	}

}
