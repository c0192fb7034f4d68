package dev.pulse.health;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.pulse.probe.FailureReason;
import dev.pulse.probe.ProbeResult;

/**
 * The running health of one target: counters, a latency EWMA, a window of verdicts, the
 * state machine and its history. Kept out of configuration objects; one per target,
 * guarded by its own lock since results arrive on any event loop.
 */
final class HealthRecord {

	private final HealthProperties properties;

	private HealthState state = HealthState.UNKNOWN;

	private int successes;

	private int failures;

	private int unreachable;

	private @Nullable FailureReason lastFailure;

	private double latencyEwmaMs = Double.NaN;

	private final boolean[] window;

	private int windowNext;

	private int windowSize;

	private int windowFailures;

	private @Nullable Instant upSince;

	private final ArrayDeque<StateChange> changes = new ArrayDeque<>();

	HealthRecord(HealthProperties properties) {
		this.properties = properties;
		this.window = new boolean[properties.window()];
	}

	/** Apply one result; returns the state change it caused, if any. */
	synchronized @Nullable StateChange apply(ProbeResult result, Instant now) {
		record(result);
		HealthState next = nextState(result.success());
		if (next == this.state) {
			return null;
		}
		StateChange change = new StateChange(now, this.state, next, reason(next, result));
		if (next.isUp() && !this.state.isUp()) {
			this.upSince = now;
		}
		else if (!next.isUp()) {
			this.upSince = null;
		}
		this.state = next;
		this.changes.addFirst(change);
		while (this.changes.size() > this.properties.history()) {
			this.changes.removeLast();
		}
		return change;
	}

	private void record(ProbeResult result) {
		if (result.success()) {
			this.successes++;
			this.failures = 0;
		}
		else {
			this.failures++;
			this.successes = 0;
		}
		if (result.status() != null || result.success()) {
			this.unreachable = 0;
		}
		else if (result.reason() != FailureReason.POOL_EXHAUSTED) {
			// Pulse's own pool limit says nothing about the target, either way.
			this.unreachable++;
		}
		if (!result.success()) {
			this.lastFailure = result.reason();
		}
		if (result.status() != null) {
			// Only responses carry latency; a timeout's duration is the deadline, not the
			// target.
			double alpha = this.properties.latencySmoothing();
			this.latencyEwmaMs = Double.isNaN(this.latencyEwmaMs) ? result.durationMs()
					: alpha * result.durationMs() + (1 - alpha) * this.latencyEwmaMs;
		}
		if (this.windowSize == this.window.length && !this.window[this.windowNext]) {
			this.windowFailures--;
		}
		this.window[this.windowNext] = result.success();
		if (!result.success()) {
			this.windowFailures++;
		}
		this.windowNext = (this.windowNext + 1) % this.window.length;
		this.windowSize = Math.min(this.windowSize + 1, this.window.length);
	}

	private HealthState nextState(boolean success) {
		return switch (this.state) {
			// As Envoy does for a new host, the first result decides.
			case UNKNOWN -> success ? upState() : HealthState.UNHEALTHY;
			case HEALTHY, DEGRADED -> (this.failures >= this.properties.unhealthyThreshold()) ? HealthState.UNHEALTHY
					: success ? upState() : this.state;
			case UNHEALTHY -> {
				if (this.successes < this.properties.healthyThreshold()) {
					yield HealthState.UNHEALTHY;
				}
				// The outage's failures were paid for by the UNHEALTHY state: kept in the
				// window they would hold a recovered target DEGRADED, at half weight, for
				// another window of probes.
				forgetFailures();
				yield upState();
			}
		};
	}

	/** Keep only the successes in a row that brought the target back. */
	private void forgetFailures() {
		int kept = Math.min(this.successes, this.window.length);
		java.util.Arrays.fill(this.window, false);
		for (int i = 0; i < kept; i++) {
			this.window[i] = true;
		}
		this.windowNext = kept % this.window.length;
		this.windowSize = kept;
		this.windowFailures = 0;
	}

	private HealthState upState() {
		return (isSlow() || errorRate() > this.properties.degradedErrorRate()) ? HealthState.DEGRADED
				: HealthState.HEALTHY;
	}

	private boolean isSlow() {
		return !Double.isNaN(this.latencyEwmaMs) && this.latencyEwmaMs > this.properties.degradedLatency().toMillis();
	}

	private double errorRate() {
		return (this.windowSize == 0) ? 0 : (double) this.windowFailures / this.windowSize;
	}

	private String reason(HealthState next, ProbeResult result) {
		if (this.state == HealthState.UNKNOWN) {
			return "first result: " + describe(result);
		}
		if (next == HealthState.UNHEALTHY) {
			return this.failures + " consecutive failures, last: " + describe(result);
		}
		if (!this.state.isUp()) {
			return this.successes + " consecutive successes" + degradedSuffix(next);
		}
		if (next == HealthState.DEGRADED) {
			return degradedCause();
		}
		return String.format("latency EWMA %.0f ms and error rate %.0f%% back within bounds", this.latencyEwmaMs,
				errorRate() * 100);
	}

	private String degradedSuffix(HealthState next) {
		return (next == HealthState.DEGRADED) ? ", but " + degradedCause() : "";
	}

	private String degradedCause() {
		if (isSlow()) {
			return String.format("latency EWMA %.0f ms above degraded-latency %d ms", this.latencyEwmaMs,
					this.properties.degradedLatency().toMillis());
		}
		return String.format("error rate %.0f%% above degraded-error-rate %.0f%%", errorRate() * 100,
				this.properties.degradedErrorRate() * 100);
	}

	private static String describe(ProbeResult result) {
		if (result.success()) {
			return "success";
		}
		return (result.reason() != null)
				? result.reason().value() + ((result.error() != null) ? " (" + result.error() + ")" : "") : "failure";
	}

	/** Whether the target is between states: probed at the transition interval. */
	synchronized boolean isChanging() {
		return (this.state.isUp() && this.failures > 0) || (this.state == HealthState.UNHEALTHY && this.successes > 0);
	}

	/**
	 * Failures beyond the unhealthy threshold, for the back-off; 0 unless unhealthy and
	 * failing.
	 */
	synchronized int failuresWhileDown() {
		return (this.state == HealthState.UNHEALTHY && this.successes == 0)
				? Math.max(1, this.failures - this.properties.unhealthyThreshold() + 1) : 0;
	}

	/**
	 * The window's verdicts, oldest first: {@code 1} a success, {@code 0} a failure. With
	 * {@link #snapshot} it is all a new owner needs to go on where this record stopped.
	 */
	synchronized String windowBits() {
		StringBuilder bits = new StringBuilder(this.windowSize);
		int start = (this.windowNext - this.windowSize + this.window.length) % this.window.length;
		for (int i = 0; i < this.windowSize; i++) {
			bits.append(this.window[(start + i) % this.window.length] ? '1' : '0');
		}
		return bits.toString();
	}

	/**
	 * A record that goes on from another replica's: state, counters, EWMA, window and
	 * recent changes as they were published, so a moved target keeps its thresholds.
	 * Verdicts beyond this window's size are dropped, oldest first.
	 */
	static HealthRecord restore(HealthProperties properties, TargetHealth health, String windowBits) {
		HealthRecord record = new HealthRecord(properties);
		record.state = health.state();
		record.successes = health.consecutiveSuccesses();
		record.failures = health.consecutiveFailures();
		record.unreachable = health.consecutiveUnreachable();
		record.lastFailure = (health.lastFailure() != null) ? FailureReason.fromValue(health.lastFailure()) : null;
		record.latencyEwmaMs = (health.latencyEwmaMs() != null) ? health.latencyEwmaMs() : Double.NaN;
		record.upSince = health.upSince();
		String kept = windowBits.substring(Math.max(0, windowBits.length() - record.window.length));
		for (int i = 0; i < kept.length(); i++) {
			boolean success = kept.charAt(i) == '1';
			record.window[i] = success;
			if (!success) {
				record.windowFailures++;
			}
		}
		record.windowSize = kept.length();
		record.windowNext = kept.length() % record.window.length;
		health.changes().stream().limit(properties.history()).forEach(record.changes::addLast);
		return record;
	}

	synchronized TargetHealth snapshot() {
		List<StateChange> recent = new ArrayList<>(this.changes.size());
		for (Iterator<StateChange> it = this.changes.iterator(); it.hasNext();) {
			recent.add(it.next());
		}
		return new TargetHealth(this.state, this.successes, this.failures, this.unreachable,
				(this.lastFailure != null) ? this.lastFailure.value() : null,
				Double.isNaN(this.latencyEwmaMs) ? null : Math.round(this.latencyEwmaMs * 1000) / 1000.0,
				(this.windowSize == 0) ? null : errorRate(), this.windowSize, this.upSince, recent);
	}

}
