package dev.pulse.probe;

/**
 * A request header every probe carries to say who sent it: with replicas, the member id,
 * so a target (or a test counting probes at the target) can tell which replica probed it.
 * Defined as a bean only when configured ({@code pulse.cluster.identify-header}).
 *
 * @param header the header's name
 * @param value its value
 */
public record ProbeIdentity(String header, String value) {

}
