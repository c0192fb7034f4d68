package dev.pulse.probe;

import reactor.core.publisher.Mono;

import dev.pulse.target.Target;

/**
 * Probes one target once. The returned {@code Mono} always completes with a result within
 * the target's timeout plus a small constant, and never errors: failures are results.
 * Cancelling it releases everything the probe held.
 */
public interface Prober {

	Mono<ProbeResult> probe(Target target);

}
