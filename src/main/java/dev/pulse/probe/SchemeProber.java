package dev.pulse.probe;

import java.util.EnumMap;
import java.util.Map;

import reactor.core.publisher.Mono;

import dev.pulse.target.Target;

/**
 * Sends each target to the prober of its kind, chosen by its URL's scheme
 * ({@link Target#kind()}): {@code http(s)://}, {@code tcp://}, {@code tls://} and
 * {@code grpc(s)://} each have their own, as blackbox_exporter has a prober per protocol.
 */
final class SchemeProber implements Prober, AutoCloseable {

	private final Map<Target.Kind, Prober> probers;

	SchemeProber(Prober http, Prober tcp, Prober tls, Prober grpc) {
		this.probers = new EnumMap<>(Target.Kind.class);
		this.probers.put(Target.Kind.HTTP, http);
		this.probers.put(Target.Kind.TCP, tcp);
		this.probers.put(Target.Kind.TLS, tls);
		this.probers.put(Target.Kind.GRPC, grpc);
	}

	@Override
	public Mono<ProbeResult> probe(Target target) {
		return this.probers.get(target.kind()).probe(target);
	}

	/** Let go of what the probers hold between probes (gRPC channels). */
	@Override
	public void close() throws Exception {
		for (Prober prober : this.probers.values()) {
			if (prober instanceof AutoCloseable closeable) {
				closeable.close();
			}
		}
	}

}
