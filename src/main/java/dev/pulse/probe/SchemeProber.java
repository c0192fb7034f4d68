package dev.pulse.probe;

import reactor.core.publisher.Mono;

import dev.pulse.target.Target;

/**
 * Sends each target to the prober of its kind, chosen by its URL's scheme: {@code tcp://}
 * to the TCP prober, {@code http(s)://} to the HTTP one.
 */
final class SchemeProber implements Prober {

	private final Prober http;

	private final Prober tcp;

	SchemeProber(Prober http, Prober tcp) {
		this.http = http;
		this.tcp = tcp;
	}

	@Override
	public Mono<ProbeResult> probe(Target target) {
		return target.isTcp() ? this.tcp.probe(target) : this.http.probe(target);
	}

}
