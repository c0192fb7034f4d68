package dev.pulse.condition;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What one probe observed; what conditions are evaluated against.
 */
public interface Observation {

	/**
	 * The HTTP status of the response.
	 * @return the status, or {@code null} when no response arrived
	 */
	@Nullable Integer status();

	/**
	 * How long the probe took.
	 * @return the time from probe start until the response (or failure)
	 */
	Duration responseTime();

}
