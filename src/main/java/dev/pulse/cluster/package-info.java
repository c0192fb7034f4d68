/**
 * Several replicas sharing the targets through PostgreSQL: a member row per JVM, 1,024
 * partitions leased with an owner and an epoch, a plan every member computes alike
 * (rendezvous hashing with bounded loads), push hand-over on shutdown, takeover of an
 * expired lease, and the replication of registrations and health summaries that lets
 * every replica answer for every target. Every change of ownership is one committed
 * conditional UPDATE; nothing here is consensus code. The design and its measurements are
 * in docs/cluster.md.
 */
@NullMarked
package dev.pulse.cluster;

import org.jspecify.annotations.NullMarked;
