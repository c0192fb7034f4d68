package dev.pulse.schedule;

import dev.pulse.target.Target;

/**
 * Which targets this replica probes, when several share them (README, "Replicas"). The
 * scheduler asks {@link #owns} when a target is put or the scheduler starts, and
 * {@link #mayFire} before every probe, so a replica that can no longer prove its lease
 * sends nothing while it finds out.
 */
public interface ProbeGate {

	/** One replica: every target is this replica's. */
	ProbeGate ALL = new ProbeGate() {

		@Override
		public boolean owns(Target target) {
			return true;
		}

		@Override
		public boolean mayFire(Target target) {
			return true;
		}

	};

	/** Whether this replica schedules the target. */
	boolean owns(Target target);

	/**
	 * Whether a probe of a scheduled target may start now. Called on an event loop for
	 * every probe: must be quick and never block.
	 */
	boolean mayFire(Target target);

}
