package dev.pulse.metrics;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Meter;
import org.jspecify.annotations.Nullable;

/**
 * The catalogue of every meter Pulse publishes, in one place: its Micrometer name, its
 * Prometheus name (what dashboards and alerts match on), its type, unit, tag keys and
 * description. The names are a contract shared with the dashboards and alert rules; tests
 * check the scrape against this catalogue.
 */
public enum PulseMeters {

	/** Duration of each probe. */
	PROBE_DURATION("pulse.probe.duration", "pulse_probe_duration_seconds", Meter.Type.TIMER, "seconds",
			"Duration of each probe, from start to the last body byte or the failure", Tag.TARGET, Tag.SERVICE,
			Tag.RESULT),

	/** Time per phase; a phase that did not happen records nothing. */
	PROBE_PHASE("pulse.probe.phase", "pulse_probe_phase_seconds", Meter.Type.TIMER, "seconds",
			"Time per probe phase; a phase that did not happen records nothing", Tag.TARGET, Tag.SERVICE, Tag.PHASE),

	/** Probes by result and failure reason. */
	PROBES("pulse.probes", "pulse_probes_total", Meter.Type.COUNTER, null,
			"Probes by result and failure reason (none on success)", Tag.TARGET, Tag.SERVICE, Tag.RESULT, Tag.REASON),

	/** Retries granted by the budget (published by the probe package). */
	PROBE_RETRIES("pulse.probe.retries", "pulse_probe_retries_total", Meter.Type.COUNTER, null,
			"Retries granted by the global retry budget"),

	/** Retries refused by the budget (published by the probe package). */
	PROBE_RETRIES_REFUSED("pulse.probe.retries.refused", "pulse_probe_retries_refused_total", Meter.Type.COUNTER, null,
			"Retries refused by the global retry budget"),

	/** Slots skipped because the previous probe was still running. */
	PROBES_SKIPPED("pulse.probes.skipped", "pulse_probes_skipped_total", Meter.Type.COUNTER, null,
			"Slots skipped because the previous probe of the target was still running", Tag.TARGET, Tag.SERVICE),

	/** 1 when the target is HEALTHY or DEGRADED. */
	TARGET_UP("pulse.target.up", "pulse_target_up", Meter.Type.GAUGE, null,
			"1 when the target is HEALTHY or DEGRADED, else 0", Tag.TARGET, Tag.SERVICE),

	/** 1 for the current state, 0 for the others. */
	TARGET_STATE("pulse.target.state", "pulse_target_state", Meter.Type.GAUGE, null,
			"1 for the target's current health state, 0 for the others", Tag.TARGET, Tag.SERVICE, Tag.STATE),

	/** Routing score, 0 to 100. */
	TARGET_SCORE("pulse.target.score", "pulse_target_score", Meter.Type.GAUGE, null,
			"Routing score of the target, 0 to 100", Tag.TARGET, Tag.SERVICE),

	/** Routing weight now. */
	TARGET_WEIGHT("pulse.target.weight", "pulse_target_weight", Meter.Type.GAUGE, null,
			"Routing weight of the target now", Tag.TARGET, Tag.SERVICE),

	/** New TCP connections opened by probes of the target. */
	CONNECTIONS_OPENED("pulse.connections.opened", "pulse_connections_opened_total", Meter.Type.COUNTER, null,
			"TCP connections opened by probes of the target", Tag.TARGET, Tag.SERVICE),

	/** Pulse's sockets to the target's address, by TCP state. */
	TARGET_SOCKETS("pulse.target.sockets", "pulse_target_sockets", Meter.Type.GAUGE, null,
			"Pulse's sockets to the target's address:port by TCP state, from /proc/net/tcp and tcp6", Tag.TARGET,
			Tag.SERVICE, Tag.STATE),

	/** How late each probe started against its slot. */
	SCHEDULE_LAG("pulse.schedule.lag", "pulse_schedule_lag_seconds", Meter.Type.TIMER, "seconds",
			"How late each probe started against its jittered slot"),

	/** Unix time of the target's latest result. */
	TARGET_LAST_PROBE_TIMESTAMP("pulse.target.last.probe.timestamp", "pulse_target_last_probe_timestamp_seconds",
			Meter.Type.GAUGE, "seconds", "Unix time of the target's latest result", Tag.TARGET, Tag.SERVICE),

	/**
	 * Time left on a TLS target's certificate chain as last seen; only targets that ran a
	 * TLS handshake have it.
	 */
	CERTIFICATE_EXPIRY("pulse.certificate.expiry", "pulse_certificate_expiry_seconds", Meter.Type.GAUGE, "seconds",
			"Seconds until the first certificate of the target's TLS chain expires, as last presented; negative once expired",
			Tag.TARGET, Tag.SERVICE);

	private static final List<Duration> PROBE_BUCKETS = seconds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
			10);

	private static final List<Duration> LAG_BUCKETS = seconds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1);

	private final String name;

	private final String prometheusName;

	private final Meter.Type type;

	private final @Nullable String baseUnit;

	private final String description;

	private final List<String> tagKeys;

	PulseMeters(String name, String prometheusName, Meter.Type type, @Nullable String baseUnit, String description,
			String... tagKeys) {
		this.name = name;
		this.prometheusName = prometheusName;
		this.type = type;
		this.baseUnit = baseUnit;
		this.description = description;
		this.tagKeys = List.of(tagKeys);
	}

	/** The Micrometer (dotted) name. */
	public String meterName() {
		return this.name;
	}

	/**
	 * The name Prometheus shows: for counters the {@code _total} family, for timers the
	 * histogram family ({@code _bucket}, {@code _count}, {@code _sum}).
	 */
	public String prometheusName() {
		return this.prometheusName;
	}

	public Meter.Type type() {
		return this.type;
	}

	/** The base unit, or null for a plain number. */
	public @Nullable String baseUnit() {
		return this.baseUnit;
	}

	public String description() {
		return this.description;
	}

	/** The tag keys, in Micrometer form. */
	public List<String> tagKeys() {
		return this.tagKeys;
	}

	/**
	 * The histogram buckets (service level objectives) of a timer; empty for other
	 * meters.
	 */
	public Duration[] buckets() {
		List<Duration> buckets = switch (this) {
			case PROBE_DURATION, PROBE_PHASE -> PROBE_BUCKETS;
			case SCHEDULE_LAG -> LAG_BUCKETS;
			default -> List.of();
		};
		return buckets.toArray(Duration[]::new);
	}

	private static List<Duration> seconds(double... values) {
		return java.util.Arrays.stream(values).mapToObj(value -> Duration.ofNanos(Math.round(value * 1e9))).toList();
	}

	/** Tag keys and the bounded values some of them take. */
	public static final class Tag {

		public static final String TARGET = "target";

		public static final String SERVICE = "service";

		/** {@code success} or {@code failure}. */
		public static final String RESULT = "result";

		/**
		 * {@code none} on success, else a {@link dev.pulse.probe.FailureReason} value.
		 */
		public static final String REASON = "reason";

		/** acquire, dns, connect, tls, ttfb, transfer. */
		public static final String PHASE = "phase";

		/** A health state, or a TCP state for sockets. */
		public static final String STATE = "state";

		public static final String SUCCESS = "success";

		public static final String FAILURE = "failure";

		public static final String NO_REASON = "none";

		private Tag() {
		}

	}

}
