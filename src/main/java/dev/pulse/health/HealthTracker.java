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
	}

	/**
	 * Hear of every state change. Called on an event loop: a listener must be quick and
	 * never block.
	 */
	public void addListener(BiConsumer<Target, StateChange> listener) {
		this.listeners.add(listener);
	}

	/** The health of a target; {@link TargetHealth#UNKNOWN} before its first result. */
	public TargetHealth health(String target) {
		HealthRecord record = this.records.get(target);
		return (record != null) ? record.snapshot() : TargetHealth.UNKNOWN;
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
