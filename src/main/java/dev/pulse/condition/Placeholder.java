package dev.pulse.condition;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What a condition can read from a probe, written in square brackets. Names are matched
 * case-insensitively, as in Gatus ({@code [status]} is {@code [STATUS]}); a path or
 * header name after them keeps its case.
 */
enum Placeholder {

	/**
	 * The HTTP status, such as {@code 200}; {@code 0} when no response arrived, as in
	 * Gatus.
	 */
	STATUS,

	/** The peer's IP address, such as {@code 127.0.0.1}. */
	IP,

	/** The response time in whole milliseconds, such as {@code 250}. */
	RESPONSE_TIME,

	/**
	 * The body as text, trimmed, such as {@code {"status":"UP"}}; followed by a JSON
	 * path, one value of it: {@code [BODY].status} is {@code UP}, {@code [BODY].items} is
	 * {@code [1 2 3]}.
	 */
	BODY,

	/** Whether a connection was made: {@code true} or {@code false}. */
	CONNECTED,

	/**
	 * Milliseconds until the peer's certificate expires, such as {@code 4461677039}
	 * (about 52 days); negative once expired.
	 */
	CERTIFICATE_EXPIRATION,

	/**
	 * Not in Gatus: a response header by case-insensitive name, such as
	 * {@code [HEADERS].Content-Type} is {@code application/json}.
	 */
	HEADERS,

	/**
	 * Not in Gatus: milliseconds between the response's {@code Date} header and Pulse's
	 * clock when the headers arrived, such as {@code 420}.
	 */
	CLOCK_SKEW;

	/** Gatus placeholders that have no meaning for an HTTP prober. */
	private static final Set<String> UNSUPPORTED = Set.of("DNS_RCODE", "DOMAIN_EXPIRATION", "CONTEXT");

	/**
	 * Finds a placeholder by the name between the brackets, ignoring case.
	 * @return the placeholder, or {@code null} when there is none by that name
	 */
	static @Nullable Placeholder fromName(String name) {
		for (Placeholder placeholder : values()) {
			if (placeholder.name().equalsIgnoreCase(name)) {
				return placeholder;
			}
		}
		return null;
	}

	/** Whether {@code name} is a Gatus placeholder that Pulse does not offer. */
	static boolean isUnsupported(String name) {
		return UNSUPPORTED.contains(name.toUpperCase(Locale.ROOT));
	}

	/**
	 * The value of a placeholder that takes no argument (all but {@link #BODY} and
	 * {@link #HEADERS}).
	 * @return the value as Gatus prints it, or {@code null} when it was not observed
	 */
	@Nullable String value(Observation observation) {
		return switch (this) {
			case STATUS -> {
				Integer status = observation.status();
				yield String.valueOf((status != null) ? status : 0);
			}
			case IP -> observation.ip();
			case RESPONSE_TIME -> millis(observation.responseTime());
			case CONNECTED -> {
				Boolean connected = observation.connected();
				yield (connected != null) ? connected.toString() : null;
			}
			case CERTIFICATE_EXPIRATION -> millis(observation.certificateExpiration());
			case CLOCK_SKEW -> clockSkew(observation);
			case BODY, HEADERS -> throw new IllegalStateException(name() + " takes an argument");
		};
	}

	private static @Nullable String millis(@Nullable Duration duration) {
		return (duration != null) ? Long.toString(GoDurations.millis(duration)) : null;
	}

	private static @Nullable String clockSkew(Observation observation) {
		String date = observation.header("Date");
		Instant observedAt = observation.observedAt();
		if (date == null || observedAt == null) {
			return null;
		}
		// A malformed date throws, and the caller turns that into an unresolved value
		Instant sent = ZonedDateTime.parse(date.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
		return millis(Duration.between(sent, observedAt).abs());
	}

}
