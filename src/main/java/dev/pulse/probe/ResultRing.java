package dev.pulse.probe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import dev.pulse.condition.ConditionResult;
import dev.pulse.transport.PeerCertificate;

/**
 * One target's last results in parallel arrays of primitives, so a held result costs
 * about 90 bytes instead of the 400 or more of a {@link ProbeResult} with its boxed
 * phases, {@link Instant} and {@link Integer}: at 10,000 targets and a history of 100,
 * that is the difference between fitting in a 512 MB heap and not.
 * <p>
 * The parts that are objects (address, error, condition results) are kept as one
 * {@link Detail} shared with the previous result when equal, which is the common case of
 * a target that keeps answering the same way. Results are rebuilt when read, which is
 * rare next to writing. Thread-safe: written from event loops, read by the API.
 */
final class ResultRing {

	private static final int NO_STATUS = Integer.MIN_VALUE;

	private static final int PHASES = 6;

	private static final byte SUCCESS = 1;

	private static final byte REUSED = 2;

	private static final byte STALE_RETRIED = 4;

	private static final FailureReason[] REASONS = FailureReason.values();

	private final long[] startEpochNanos;

	private final double[] durationMs;

	/** {@link #PHASES} per result, NaN where a phase did not happen. */
	private final double[] phases;

	private final long[] bodyBytes;

	private final int[] status;

	private final int[] attempts;

	private final byte[] flags;

	/** Ordinal of the failure reason, -1 on success. */
	private final byte[] reason;

	private final Detail[] details;

	private int next;

	private int size;

	ResultRing(int capacity) {
		this.startEpochNanos = new long[capacity];
		this.durationMs = new double[capacity];
		this.phases = new double[capacity * PHASES];
		this.bodyBytes = new long[capacity];
		this.status = new int[capacity];
		this.attempts = new int[capacity];
		this.flags = new byte[capacity];
		this.reason = new byte[capacity];
		this.details = new Detail[capacity];
	}

	synchronized void add(ProbeResult result) {
		int slot = this.next;
		Detail detail = new Detail(result.ip(), result.error(), result.conditions(), result.certificate());
		Detail previous = (this.size == 0) ? null : this.details[index(1)];
		this.details[slot] = detail.equals(previous) ? previous : detail;
		Instant timestamp = result.timestamp();
		this.startEpochNanos[slot] = Math.addExact(Math.multiplyExact(timestamp.getEpochSecond(), 1_000_000_000L),
				timestamp.getNano());
		this.durationMs[slot] = result.durationMs();
		writePhases(slot, result.phases());
		this.bodyBytes[slot] = result.bodyBytes();
		this.status[slot] = (result.status() != null) ? result.status() : NO_STATUS;
		this.attempts[slot] = result.attempts();
		this.flags[slot] = (byte) ((result.success() ? SUCCESS : 0) | (result.connectionReused() ? REUSED : 0)
				| (result.staleConnectionRetried() ? STALE_RETRIED : 0));
		this.reason[slot] = (byte) ((result.reason() != null) ? result.reason().ordinal() : -1);
		this.next = (slot + 1) % this.details.length;
		this.size = Math.min(this.size + 1, this.details.length);
	}

	synchronized @Nullable ProbeResult latest() {
		return (this.size == 0) ? null : read(index(1));
	}

	/** Up to {@code limit} results, newest first. */
	synchronized List<ProbeResult> newest(int limit) {
		int count = Math.min(limit, this.size);
		List<ProbeResult> newest = new ArrayList<>(count);
		for (int age = 1; age <= count; age++) {
			newest.add(read(index(age)));
		}
		return newest;
	}

	/** The slot of the result {@code age} results back: 1 is the newest. */
	private int index(int age) {
		return Math.floorMod(this.next - age, this.details.length);
	}

	private ProbeResult read(int slot) {
		Detail detail = this.details[slot];
		long nanos = this.startEpochNanos[slot];
		int status = this.status[slot];
		byte flags = this.flags[slot];
		byte reason = this.reason[slot];
		return new ProbeResult(
				Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)),
				(flags & SUCCESS) != 0, (status != NO_STATUS) ? status : null, this.durationMs[slot], readPhases(slot),
				(flags & REUSED) != 0, (flags & STALE_RETRIED) != 0, detail.ip(), this.bodyBytes[slot],
				(reason >= 0) ? REASONS[reason] : null, detail.error(), detail.conditions(), this.attempts[slot],
				detail.certificate());
	}

	private void writePhases(int slot, Phases phases) {
		int at = slot * PHASES;
		this.phases[at] = orNaN(phases.acquireMs());
		this.phases[at + 1] = orNaN(phases.dnsMs());
		this.phases[at + 2] = orNaN(phases.connectMs());
		this.phases[at + 3] = orNaN(phases.tlsMs());
		this.phases[at + 4] = orNaN(phases.ttfbMs());
		this.phases[at + 5] = orNaN(phases.transferMs());
	}

	private Phases readPhases(int slot) {
		int at = slot * PHASES;
		Phases phases = new Phases(orNull(this.phases[at]), orNull(this.phases[at + 1]), orNull(this.phases[at + 2]),
				orNull(this.phases[at + 3]), orNull(this.phases[at + 4]), orNull(this.phases[at + 5]));
		return phases.equals(Phases.NONE) ? Phases.NONE : phases;
	}

	private static double orNaN(@Nullable Double value) {
		return (value != null) ? value : Double.NaN;
	}

	private static @Nullable Double orNull(double value) {
		return Double.isNaN(value) ? null : value;
	}

	/** The parts of a result that are objects, shared between equal neighbours. */
	private record Detail(@Nullable String ip, @Nullable String error, List<ConditionResult> conditions,
			@Nullable PeerCertificate certificate) {

		Detail {
			Objects.requireNonNull(conditions);
		}

	}

}
