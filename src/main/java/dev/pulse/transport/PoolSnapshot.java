package dev.pulse.transport;

import java.util.List;

/**
 * The pool at one moment, per remote host:port and in total.
 *
 * @param hosts one entry per host:port Pulse has connected to
 */
public record PoolSnapshot(List<Host> hosts) {

	/** Connections currently lent to probes, across all hosts. */
	public int active() {
		return this.hosts.stream().mapToInt(Host::active).sum();
	}

	/** Open connections waiting in the pool for the next probe. */
	public int idle() {
		return this.hosts.stream().mapToInt(Host::idle).sum();
	}

	/** Probes waiting for a connection. */
	public int pending() {
		return this.hosts.stream().mapToInt(Host::pending).sum();
	}

	/**
	 * One remote host:port.
	 *
	 * @param host host:port as written in the target URL
	 * @param active connections lent to probes
	 * @param idle pooled connections not in use
	 * @param pending probes waiting for a connection
	 * @param opened TCP connections opened so far
	 * @param closed TCP connections closed so far
	 */
	public record Host(String host, int active, int idle, int pending, long opened, long closed) {
	}

}
