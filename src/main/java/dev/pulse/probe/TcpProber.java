package dev.pulse.probe;

import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

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
		TcpClient client = (target.source() != Target.Source.CONFIG) ? this.guarded : this.trusted;
		return StreamExchange.run(client, target);
	}

}
