package dev.pulse.probe;

import dev.pulse.target.Target;

/**
 * Receives every probe result as it arrives, so later stages (history, health) react
 * without the scheduler knowing them. Called on an event loop: implementations must be
 * quick and never block.
 */
public interface ProbeListener {

	void onResult(Target target, ProbeResult result);

	/** The target was removed: forget everything about it. */
	default void onRemoved(String target) {
	}

}
