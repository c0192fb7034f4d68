package dev.pulse.health;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import io.github.resilience4j.core.IntervalFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.pulse.probe.ProbeListener;
import dev.pulse.probe.ProbeResult;
import dev.pulse.schedule.IntervalPolicy;
import dev.pulse.target.Target;

/**
 * Keeps every target's health from its results, and tells the scheduler when to probe
 * next: at the transition interval while a target changes state, backing off
 * exponentially with jitter while it stays unhealthy, and on its own interval otherwise.
 */
@Component
public class HealthTracker implements ProbeListener, IntervalPolicy {

	private static final Logger logger = LoggerFactory.getLogger(HealthTracker.class);

	private final HealthProperties properties;

	private final Clock clock;

	private final Map<String, HealthRecord> records = new ConcurrentHashMap<>();

	private final List<BiConsumer<Target, StateChange>> listeners = new CopyOnWriteArrayList<>();

	/**
	 * Health of targets another replica probes, as it published it: served where this
	 * replica has no record of its own.
	 */
	private final Map<String, TargetHealth> replicated = new ConcurrentHashMap<>();

	@Autowired
	public HealthTracker(HealthProperties properties) {
		this(properties, Clock.systemUTC());
	}

	public HealthTracker(HealthProperties properties, Clock clock) {
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public void onResult(Target target, ProbeResult result) {
		HealthRecord record = this.records.computeIfAbsent(target.name(), name -> new HealthRecord(this.properties));
		StateChange change = record.apply(result, this.clock.instant());
		if (change != null) {
			// One line per change, never per probe: a failing target is counted in
			// pulse_probes_total by reason, not logged on every failure.
			Level level = (change.to() == HealthState.UNHEALTHY) ? Level.WARN : Level.INFO;
			logger.atLevel(level)
				.log("Target {} is {} (was {}): {}", target.name(), change.to(), change.from(), change.reason());
			this.listeners.forEach(listener -> listener.accept(target, change));
		}
	}

	@Override
	public void onRemoved(String target) {
		this.records.remove(target);
		this.replicated.remove(target);
	}

	/**
	 * Another replica probes the target from now on: drop this replica's record, and
	 * until the new owner publishes, serve the last state known here rather than UNKNOWN.
	 */
	public void handOver(String target) {
		HealthRecord record = this.records.remove(target);
		if (record != null) {
			this.replicated.put(target, record.snapshot());
		}
	}

	/**
	 * Hear of every state change. Called on an event loop: a listener must be quick and
	 * never block.
	 */
	public void addListener(BiConsumer<Target, StateChange> listener) {
		this.listeners.add(listener);
	}

	/**
	 * The health of a target: this replica's own when it probes the target, else the
	 * latest another replica published; {@link TargetHealth#UNKNOWN} before either.
	 */
	public TargetHealth health(String target) {
		HealthRecord record = this.records.get(target);
		if (record != null) {
			return record.snapshot();
		}
		return this.replicated.getOrDefault(target, TargetHealth.UNKNOWN);
	}

	/**
	 * A target's health with its window, to publish for other replicas; empty when this
	 * replica has no record of it (it has not probed it yet).
	 */
	public java.util.Optional<HealthSummary> summary(String target) {
		HealthRecord record = this.records.get(target);
		if (record == null) {
			return java.util.Optional.empty();
		}
		synchronized (record) {
			return java.util.Optional.of(new HealthSummary(record.snapshot(), record.windowBits()));
		}
	}

	/**
	 * Go on from another replica's record: this replica now probes the target, with the
	 * thresholds, EWMA and window where the previous owner left them. A record this
	 * replica already has is kept.
	 */
	public void adopt(String target, HealthSummary summary) {
		this.records.computeIfAbsent(target,
				name -> HealthRecord.restore(this.properties, summary.health(), summary.window()));
	}

	/**
	 * The health another replica published for a target it probes. A state change is
	 * announced to the listeners as if it had happened here, so every replica's events
	 * and routes follow every target.
	 */
	public void replicate(Target target, TargetHealth health) {
		if (this.records.containsKey(target.name())) {
			return;
		}
		TargetHealth previous = this.replicated.put(target.name(), health);
		HealthState before = (previous != null) ? previous.state() : HealthState.UNKNOWN;
		if (before != health.state() && !health.changes().isEmpty()) {
			StateChange change = health.changes().get(0);
			this.listeners.forEach(listener -> listener.accept(target, change));
		}
	}

	@Override
	public @Nullable Duration nextDelay(Target target) {
		HealthRecord record = this.records.get(target.name());
		if (record == null) {
			return null;
		}
		if (record.isChanging()) {
			return clamp(this.properties.transitionInterval(), target.timeout(), target.interval());
		}
		int downFor = record.failuresWhileDown();
		if (downFor > 0) {
			return unhealthyDelay(target.interval(), downFor);
		}
		return null;
	}

	/**
	 * interval x 2^n, randomized by half either way, never below the interval nor above
	 * the cap: {@code unhealthy-interval} (by default the target's interval, so with the
	 * defaults a down target is probed every interval, as in Envoy) within
	 * {@code max-unhealthy-interval}. An unhealthy interval below the target's interval
	 * is used as it is.
	 */
	Duration unhealthyDelay(Duration interval, int failuresWhileDown) {
		Duration unhealthy = (this.properties.unhealthyInterval() != null) ? this.properties.unhealthyInterval()
				: interval;
		Duration max = (unhealthy.compareTo(this.properties.maxUnhealthyInterval()) < 0) ? unhealthy
				: this.properties.maxUnhealthyInterval();
		if (interval.compareTo(max) >= 0) {
			return max;
		}
		long millis = IntervalFunction.ofExponentialRandomBackoff(interval, 2.0, 0.5, max)
			.apply(Math.min(failuresWhileDown + 1, 32));
		return clamp(Duration.ofMillis(millis), interval, max);
	}

	private static Duration clamp(Duration value, Duration min, Duration max) {
		return (value.compareTo(min) < 0) ? min : (value.compareTo(max) > 0) ? max : value;
	}

}
