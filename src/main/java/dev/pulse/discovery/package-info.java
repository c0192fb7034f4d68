/**
 * Targets found rather than typed in: Kubernetes discovery watches the EndpointSlices of
 * annotated Services and keeps one target per ready endpoint in the registry, draining
 * terminating ones and removing those that leave. Discovered targets are never stored;
 * every replica discovers them alike and the cluster's partitions decide who probes.
 */
@NullMarked
package dev.pulse.discovery;

import org.jspecify.annotations.NullMarked;
