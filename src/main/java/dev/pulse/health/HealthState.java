package dev.pulse.health;

/** The health of one target. Names are a stable JSON and metric contract. */
public enum HealthState {

	/** No result yet. */
	UNKNOWN,

	/** Passing, with latency and error rate within bounds. */
	HEALTHY,

	/**
	 * Passing, but its latency EWMA or its error rate in the window is above its bound.
	 */
	DEGRADED,

	/** Failing: {@code unhealthy-threshold} consecutive failures, not yet recovered. */
	UNHEALTHY;

	/** Whether the target is up: healthy or degraded. */
	public boolean isUp() {
		return this == HEALTHY || this == DEGRADED;
	}

}
