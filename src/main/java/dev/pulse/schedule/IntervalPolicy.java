package dev.pulse.schedule;

import java.time.Duration;

import dev.pulse.target.Target;

/**
 * Decides how long after a result a target is probed next, so a later stage (health) can
 * probe a changing target sooner and a down one less often without the scheduler
 * depending on it.
 */
public interface IntervalPolicy {

	/** The target's own interval, on its fixed phase. */
	IntervalPolicy FIXED = target -> null;

	/**
	 * The delay before the target's next probe.
	 * @param target the target whose result just arrived
	 * @return the delay from now, or {@code null} to stay on the target's own
	 * phase-aligned interval
	 */
	@org.jspecify.annotations.Nullable
	Duration nextDelay(Target target);

}
