package dev.pulse.schedule;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;

import dev.pulse.target.Target;

/**
 * One target's place on a wheel: its next slot, whether a probe is in flight, what it
 * skipped.
 */
final class ScheduledProbe extends TimingWheel.Node {

	final Target target;

	final long intervalNanos;

	final long jitterNanos;

	/**
	 * The latest slot on the target's phase grid; jitter is applied per probe so phases
	 * never drift.
	 */
	long slotNanos;

	/**
	 * The jittered time the entry is due on its wheel; only touched on its loop.
	 */
	long dueNanos;

	final AtomicBoolean inFlight = new AtomicBoolean();

	/**
	 * The wall-clock start of the last probe that passed the gate (epoch milliseconds),
	 * or {@link Long#MIN_VALUE}; what a hand-over tells the new owner.
	 */
	volatile long startedAtMillis = Long.MIN_VALUE;

	final AtomicLong skipped = new AtomicLong();

	volatile @Nullable Disposable running;

	volatile boolean cancelled;

	/** The wheel and loop this target lives on; its schedule is only touched there. */
	final ProbeScheduler.Shard shard;

	/**
	 * The next probe was moved off phase by the interval policy; its slot is not a skip.
	 */
	boolean offPhase;

	ScheduledProbe(Target target, long firstSlotNanos, ProbeScheduler.Shard shard) {
		this.target = target;
		this.shard = shard;
		this.intervalNanos = target.interval().toNanos();
		this.jitterNanos = target.jitter().toNanos();
		this.slotNanos = firstSlotNanos;
	}

	void cancel() {
		this.cancelled = true;
		Disposable current = this.running;
		if (current != null) {
			current.dispose();
		}
	}

}
