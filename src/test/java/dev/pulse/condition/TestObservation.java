package dev.pulse.condition;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A fixed observation for tests.
 */
record TestObservation(@Nullable Integer status, Duration responseTime) implements Observation {

	static TestObservation withStatus(@Nullable Integer status) {
		return new TestObservation(status, Duration.ofMillis(100));
	}

	static TestObservation withResponseTime(long millis) {
		return new TestObservation(200, Duration.ofMillis(millis));
	}

}
