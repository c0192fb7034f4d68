package dev.pulse.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import dev.pulse.health.HealthState;
import dev.pulse.metrics.PulseMeters.Tag;
import dev.pulse.probe.FailureReason;
import dev.pulse.probe.Phases;
import dev.pulse.probe.ProbeResult;
import dev.pulse.target.Target;
import dev.pulse.transport.PeerCertificate;

/**
 * The meters of one target, created once and then only recorded into, so a probe on an
 * event loop never looks a meter up. Gauges are registered up front and read lazily at
 * scrape time; timers and counters that depend on what happens (a failure reason, a
 * phase) are registered the first time they are needed and cached.
 */
final class TargetMeters {

	private static final String[] PHASES = { "acquire", "dns", "connect", "tls", "ttfb", "transfer" };

	private static final FailureReason[] REASONS = FailureReason.values();

	final String name;

	final String service;

	final HostCounts host;

	private final MeterRegistry registry;

	private final Tags tags;

	// The duration and phase histograms' tags: the target's, or only its service's when
	// pulse.metrics.target-histograms is off (then the service's targets share them).
	private final Tags histogramTags;

	private final AtomicReferenceArray<Timer> durations = new AtomicReferenceArray<>(2);

	private final AtomicReferenceArray<Timer> phases = new AtomicReferenceArray<>(PHASES.length);

	// Index 0 is success; reason r is at 1 + r.ordinal().
	private final AtomicReferenceArray<Counter> probes = new AtomicReferenceArray<>(1 + REASONS.length);

	private final Counter skipped;

	private final Counter opened;

	private volatile double lastProbeSeconds = Double.NaN;

	private volatile @Nullable String lastIp;

	/** When the chain last presented runs out; the gauge counts down to it. */
	private volatile @Nullable Instant certificateNotAfter;

	private final AtomicBoolean certificateGauge = new AtomicBoolean();

	/** The remote ip:port of the latest result, as {@link SocketTable} keys it. */
	volatile @Nullable String socketKey;

	/** Set once the target's series are removed; late recordings then undo themselves. */
	volatile boolean removed;

	TargetMeters(Target target, MeterRegistry registry, HostCounts host, TargetStatus status, SocketTable sockets,
			boolean targetHistograms) {
		this.name = target.name();
		this.service = target.service();
		this.host = host;
		this.registry = registry;
		this.tags = Tags.of(Tag.TARGET, this.name, Tag.SERVICE, this.service);
		this.histogramTags = targetHistograms ? this.tags : Tags.of(Tag.SERVICE, this.service);
		this.skipped = counter(PulseMeters.PROBES_SKIPPED, this.tags);
		this.opened = counter(PulseMeters.CONNECTIONS_OPENED, this.tags);
		gauge(PulseMeters.TARGET_UP, this.tags, m -> status.state(this.name).isUp() ? 1 : 0);
		for (HealthState state : HealthState.values()) {
			gauge(PulseMeters.TARGET_STATE, this.tags.and(Tag.STATE, state.name()),
					m -> (status.state(this.name) == state) ? 1 : 0);
		}
		gauge(PulseMeters.TARGET_SCORE, this.tags, m -> status.score(this.name, false));
		gauge(PulseMeters.TARGET_WEIGHT, this.tags, m -> status.score(this.name, true));
		gauge(PulseMeters.TARGET_LAST_PROBE_TIMESTAMP, this.tags, m -> m.lastProbeSeconds);
		if (sockets.available()) {
			for (TcpState state : TcpState.values()) {
				if (state.clientSide()) {
					gauge(PulseMeters.TARGET_SOCKETS, this.tags.and(Tag.STATE, state.label()), m -> {
						String key = m.socketKey;
						return (key != null) ? sockets.count(key, state) : 0;
					});
				}
			}
		}
	}

	/** Record one result; runs on an event loop. */
	void record(ProbeResult result, int urlPort) {
		int outcome = result.success() ? 0 : 1;
		Timer duration = this.durations.get(outcome);
		if (duration == null) {
			duration = register(this.durations, outcome, timer(PulseMeters.PROBE_DURATION,
					this.histogramTags.and(Tag.RESULT, result.success() ? Tag.SUCCESS : Tag.FAILURE)));
		}
		duration.record(nanos(result.durationMs()), TimeUnit.NANOSECONDS);
		Phases phases = result.phases();
		phase(0, phases.acquireMs());
		phase(1, phases.dnsMs());
		phase(2, phases.connectMs());
		phase(3, phases.tlsMs());
		phase(4, phases.ttfbMs());
		phase(5, phases.transferMs());
		probes(result.reason()).increment();
		this.host.probes.increment();
		// A new connection is one whose connect phase was measured. A stale pooled
		// connection repeated on a fresh one reports the fresh one; the stale one was
		// counted by the probe that opened it.
		if (!result.connectionReused() && phases.connectMs() != null) {
			this.opened.increment();
			this.host.opened.increment();
		}
		this.lastProbeSeconds = result.timestamp().toEpochMilli() / 1000.0;
		PeerCertificate certificate = result.certificate();
		if (certificate != null) {
			this.certificateNotAfter = certificate.chainNotAfter();
			if (this.certificateGauge.compareAndSet(false, true)) {
				// Only targets that shook hands get the series; counted down at scrape
				// time
				// so it stays right between probes and past the expiry.
				Gauge gauge = gauge(PulseMeters.CERTIFICATE_EXPIRY, this.tags, m -> {
					Instant notAfter = m.certificateNotAfter;
					return (notAfter != null) ? Duration.between(Instant.now(), notAfter).toMillis() / 1000.0
							: Double.NaN;
				});
				if (this.removed) {
					this.registry.remove(gauge);
				}
			}
		}
		String ip = result.ip();
		if (ip != null && !ip.equals(this.lastIp)) {
			this.lastIp = ip;
			String key = ProcNetTcp.key(ip, urlPort);
			this.socketKey = key;
			this.host.socketKey = key;
		}
	}

	void skipped() {
		this.skipped.increment();
	}

	private void phase(int index, @Nullable Double millis) {
		if (millis == null) {
			return;
		}
		Timer timer = this.phases.get(index);
		if (timer == null) {
			timer = register(this.phases, index,
					timer(PulseMeters.PROBE_PHASE, this.histogramTags.and(Tag.PHASE, PHASES[index])));
		}
		timer.record(nanos(millis), TimeUnit.NANOSECONDS);
	}

	private Counter probes(@Nullable FailureReason reason) {
		int index = (reason != null) ? 1 + reason.ordinal() : 0;
		Counter counter = this.probes.get(index);
		if (counter == null) {
			Tags tags = (reason != null) ? this.tags.and(Tag.RESULT, Tag.FAILURE, Tag.REASON, reason.value())
					: this.tags.and(Tag.RESULT, Tag.SUCCESS, Tag.REASON, Tag.NO_REASON);
			counter = register(this.probes, index, counter(PulseMeters.PROBES, tags));
		}
		return counter;
	}

	/**
	 * Cache a meter registered lazily; registering twice yields the same meter, so a race
	 * is harmless.
	 */
	private <M extends Meter> M register(AtomicReferenceArray<M> cache, int index, M meter) {
		cache.set(index, meter);
		if (this.removed && meter.getId().getTag(Tag.TARGET) != null) {
			// Registered after the target's removal swept its series: take it back out.
			// A per-service histogram stays: the service's other targets share it.
			this.registry.remove(meter);
		}
		return meter;
	}

	private Timer timer(PulseMeters meter, Tags tags) {
		return Timer.builder(meter.meterName())
			.description(meter.description())
			.tags(tags)
			.serviceLevelObjectives(meter.buckets())
			.publishPercentileHistogram(false)
			.register(this.registry);
	}

	private Counter counter(PulseMeters meter, Tags tags) {
		return Counter.builder(meter.meterName()).description(meter.description()).tags(tags).register(this.registry);
	}

	private Gauge gauge(PulseMeters meter, Tags tags, Function<TargetMeters, Number> value) {
		return Gauge.builder(meter.meterName(), this, target -> value.apply(target).doubleValue())
			.description(meter.description())
			.baseUnit(meter.baseUnit())
			.tags(tags)
			.strongReference(true)
			.register(this.registry);
	}

	private static long nanos(double millis) {
		return Math.round(millis * 1_000_000);
	}

}
