package dev.pulse.probe;

import reactor.core.publisher.Mono;

import dev.pulse.target.Target;
import dev.pulse.transport.ProbeTransport;

/**
 * Probes {@code tls://host:port}: connect and shake hands, sending the URL's host as SNI
 * and checking the chain and the host name (unless {@code tls.insecure-skip-verify}),
 * then send {@code tcp.send} and read {@code tcp.expect} over TLS like a {@code tcp://}
 * probe. The result carries the chain the peer presented; conditions see
 * {@code [CERTIFICATE_EXPIRATION]} besides those of TCP. A failed handshake is the reason
 * {@code tls}, with the JDK's message (expired, untrusted, wrong host name).
 */
final class TlsProber implements Prober {

	private final ProbeTransport transport;

	TlsProber(ProbeTransport transport) {
		this.transport = transport;
	}

	@Override
	public Mono<ProbeResult> probe(Target target) {
		boolean guarded = target.source() != Target.Source.CONFIG;
		return StreamExchange.run(this.transport.tlsClient(guarded, target.insecureSkipVerify()), target);
	}

}
