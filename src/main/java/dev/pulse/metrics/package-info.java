/**
 * Pulse's Prometheus metrics: every meter is named in
 * {@link dev.pulse.metrics.PulseMeters} and labelled only with bounded values (target and
 * service names, never URLs). {@link dev.pulse.metrics.MetricsRecorder} hears each probe
 * result and each schedule slot on the event loops and records into meters cached per
 * target, so the probe path never looks a meter up; state, score, weight and socket
 * gauges are read lazily at scrape time from caches that cost O(targets). A removed
 * target's series are removed with it. The {@code connections} actuator endpoint shows
 * the pool and sockets per remote host.
 */
@NullMarked
package dev.pulse.metrics;

import org.jspecify.annotations.NullMarked;
