package dev.pulse.metrics;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import dev.pulse.health.HealthTracker;
import dev.pulse.metrics.PulseMeters.Tag;
import dev.pulse.probe.ProbeListener;
import dev.pulse.probe.ProbeResult;
import dev.pulse.routing.Router;
import dev.pulse.schedule.ScheduleObserver;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;

/**
 * Records every probe result and every schedule slot into Pulse's meters (see
 * {@link PulseMeters}). Runs on the event loops: each target's meters are created once
 * and cached by name, so recording is a map lookup and a few increments, never a registry
 * lookup and never a block. A target's series appear when it is added (its state gauges
 * read {@code UNKNOWN} until the first result) and are removed from the registry when it
 * is removed, disabled, or moved to another service.
 */
@Component
public class MetricsRecorder implements ProbeListener, ScheduleObserver {

	private final MeterRegistry registry;

	private final TargetRegistry targets;

	private final TargetStatus status;

	private final SocketTable sockets;

	private final boolean targetHistograms;

	private final Timer lag;

	private final Map<String, TargetMeters> meters = new ConcurrentHashMap<>();

	private final Map<String, HostCounts> hosts = new ConcurrentHashMap<>();

	public MetricsRecorder(MeterRegistry registry, TargetRegistry targets, HealthTracker health, Router router,
			SocketTable sockets, MetricsProperties properties) {
		this.registry = registry;
		this.targetHistograms = properties.targetHistograms();
		this.targets = targets;
		this.status = new TargetStatus(health, router);
		this.sockets = sockets;
		PulseMeters lagMeter = PulseMeters.SCHEDULE_LAG;
		this.lag = Timer.builder(lagMeter.meterName())
			.description(lagMeter.description())
			.serviceLevelObjectives(lagMeter.buckets())
			.publishPercentileHistogram(false)
			.register(registry);
		targets.all().stream().filter(Target::enabled).forEach(this::meters);
		targets.addListener(new TargetChanges());
	}

	@Override
	public void onResult(Target target, ProbeResult result) {
		TargetMeters meters = meters(target);
		if (meters != null) {
			meters.record(result, port(target.url()));
		}
	}

	@Override
	public void onSkipped(Target target) {
		TargetMeters meters = meters(target);
		if (meters != null) {
			meters.skipped();
		}
	}

	@Override
	public void onLagNanos(long lagNanos) {
		this.lag.record(lagNanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void onRemoved(String target) {
		removeSeries(target);
	}

	/** Probes, connections opened and the latest socket address per remote host:port. */
	Map<String, HostCounts> hosts() {
		return this.hosts;
	}

	/**
	 * The cached meters of a target, created on first sight; null for a target no longer
	 * registered (a late result racing its removal must not bring its series back).
	 */
	private @Nullable TargetMeters meters(Target target) {
		TargetMeters meters = this.meters.get(target.name());
		if (meters != null && meters.service.equals(target.service())) {
			return meters;
		}
		if (meters != null) {
			removeSeries(target.name());
		}
		return this.meters.computeIfAbsent(target.name(),
				name -> this.targets.find(name).filter(Target::enabled).isPresent() ? new TargetMeters(target,
						this.registry, this.hosts.computeIfAbsent(hostKey(target.url()), key -> new HostCounts()),
						this.status, this.sockets, this.targetHistograms) : null);
	}

	/** Remove every Pulse series of a target from the registry and forget its meters. */
	private void removeSeries(String target) {
		TargetMeters meters = this.meters.remove(target);
		if (meters != null) {
			meters.removed = true;
		}
		List<Meter> series = this.registry.getMeters()
			.stream()
			.filter(meter -> meter.getId().getName().startsWith("pulse.")
					&& target.equals(meter.getId().getTag(Tag.TARGET)))
			.toList();
		series.forEach(this.registry::remove);
		if (meters != null && !this.targetHistograms) {
			removeServiceHistogramsIfUnused(meters.service);
		}
	}

	/**
	 * Per-service histograms are shared by the service's targets: they go once the last
	 * target recording into them has gone.
	 */
	private void removeServiceHistogramsIfUnused(String service) {
		if (this.meters.values().stream().anyMatch(meters -> meters.service.equals(service))) {
			return;
		}
		List<Meter> series = this.registry.getMeters()
			.stream()
			.filter(meter -> meter.getId().getName().startsWith("pulse.")
					&& service.equals(meter.getId().getTag(Tag.SERVICE)) && meter.getId().getTag(Tag.TARGET) == null)
			.toList();
		series.forEach(this.registry::remove);
	}

	/** The pool's key for a URL: host:port as written, default ports filled in. */
	static String hostKey(URI url) {
		String host = Objects.requireNonNullElse(url.getHost(), "");
		if (host.startsWith("[") && host.endsWith("]")) {
			host = host.substring(1, host.length() - 1);
		}
		return host + ":" + port(url);
	}

	static int port(URI url) {
		if (url.getPort() >= 0) {
			return url.getPort();
		}
		return "https".equals(url.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
	}

	/** Keeps series in step with targets added, changed, disabled or removed. */
	private final class TargetChanges implements TargetRegistry.Listener {

		@Override
		public void onPut(@Nullable Target previous, Target target) {
			if (!target.enabled()) {
				removeSeries(target.name());
			}
			else {
				meters(target);
			}
		}

		@Override
		public void onRemoved(Target target) {
			removeSeries(target.name());
		}

	}

}
