package dev.pulse.condition;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What one probe observed: what conditions are evaluated against. Every accessor may
 * answer {@code null} for "not observed", and a condition on an unobserved value fails
 * the way Gatus fails an unresolvable placeholder. The defaults answer {@code null}, so
 * an observation only implements what it knows.
 */
public interface Observation {

	/**
	 * The HTTP status of the response ({@code [STATUS]}).
	 * @return the status, or {@code null} when no response arrived
	 */
	@Nullable Integer status();

	/**
	 * How long the probe took ({@code [RESPONSE_TIME]}).
	 * @return the time from probe start until the response (or failure), or {@code null}
	 * when unknown
	 */
	@Nullable Duration responseTime();

	/**
	 * The peer's IP address ({@code [IP]}).
	 * @return the address, or {@code null} when no connection was made
	 */
	default @Nullable String ip() {
		return null;
	}

	/**
	 * Whether a connection to the target was established ({@code [CONNECTED]}).
	 * @return true or false, or {@code null} when unknown
	 */
	default @Nullable Boolean connected() {
		return null;
	}

	/**
	 * Time left until the peer's TLS certificate expires
	 * ({@code [CERTIFICATE_EXPIRATION]}); negative once expired.
	 * @return the time left, or {@code null} without TLS
	 */
	default @Nullable Duration certificateExpiration() {
		return null;
	}

	/**
	 * The response body as read, at most {@code max-body-bytes} ({@code [BODY]}). Only
	 * kept when a condition {@link Condition#needsBody() needs it}.
	 * @return the bytes (possibly empty), or {@code null} when no body was read
	 */
	default byte @Nullable [] body() {
		return null;
	}

	/**
	 * A response header by case-insensitive name ({@code [HEADERS].Name}).
	 * @param name the header name
	 * @return its first value, or {@code null} when absent or no response arrived
	 */
	default @Nullable String header(String name) {
		return null;
	}

	/**
	 * Pulse's clock when the response headers arrived; with the {@code Date} header it
	 * gives {@code [CLOCK_SKEW]}.
	 * @return the instant, or {@code null} when no response arrived
	 */
	default @Nullable Instant observedAt() {
		return null;
	}

}
