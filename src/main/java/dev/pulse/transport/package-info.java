/**
 * The network under every probe: the one reactor-netty {@code ConnectionProvider} named
 * {@code pulse-probes}, the event loops, the HTTP clients built on them (guarded ones
 * refuse to connect to an address an {@link dev.pulse.transport.AddressPolicy} denies),
 * and per-connection accounting (when a connection was resolved, connected and secured,
 * how often it was reused, how many are open per host). Nothing here knows about targets
 * or conditions.
 */
@NullMarked
package dev.pulse.transport;

import org.jspecify.annotations.NullMarked;
