package dev.pulse.metrics;

import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * What probes did to one remote host:port, across all its targets: probes sent and TCP
 * connections they opened (their ratio is the keep-alive reuse ratio), and the ip:port
 * the latest probe reached.
 */
final class HostCounts {

	final LongAdder probes = new LongAdder();

	final LongAdder opened = new LongAdder();

	volatile @Nullable String socketKey;

}
