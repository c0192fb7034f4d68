package dev.pulse.schedule;

import java.time.Duration;

import dev.pulse.target.Target;

/**
 * Hears what the scheduler does with each slot, so metrics can count skips and measure
 * how late probes start without the scheduler knowing about meters. Called on an event
 * loop, once per slot: implementations must be quick, allocation-light and never block.
 */
public interface ScheduleObserver {

	/** Does nothing: the scheduler's default when no observer is defined. */
	ScheduleObserver NONE = new ScheduleObserver() {

		@Override
		public void onSkipped(Target target) {
		}

		@Override
		public void onLagNanos(long lagNanos) {
		}

	};

	/**
	 * A slot of the target was skipped: its previous probe was still running, or the loop
	 * stalled past the slot.
	 * @param target the target
	 */
	void onSkipped(Target target);

	/**
	 * A probe started {@code lagNanos} after its jittered due time (never negative).
	 * Nanoseconds rather than a {@link Duration}, so the hot path allocates nothing.
	 * @param lagNanos how late the probe started
	 */
	void onLagNanos(long lagNanos);

}
