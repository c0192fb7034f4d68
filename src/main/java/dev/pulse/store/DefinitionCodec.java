package dev.pulse.store;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

import dev.pulse.target.TargetProperties;

/**
 * Writes and reads the {@code definition} column: a {@link TargetProperties} as JSON.
 * <p>
 * The mapper is the store's own, with the settings that shape the stored text pinned,
 * rather than the application's {@code JsonMapper}: {@code spring.jackson.*} is tuned for
 * the API, and a change there must never make stored rows unreadable.
 */
final class DefinitionCodec {

	private final JsonMapper mapper = JsonMapper.builder()
		// ISO-8601 ("PT0.25S"): exact to the nanosecond, and readable in a SQL shell.
		.disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
		// A field this version does not know (written by a newer Pulse) or a missing
		// primitive is an unreadable row, never a silently different target.
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.build();

	String write(TargetProperties properties) {
		return this.mapper.writeValueAsString(properties);
	}

	/**
	 * Read one stored definition.
	 * @param name the row's name, for the message
	 * @param definition the stored JSON
	 * @return the properties
	 * @throws UnreadableRegistrationException if the JSON does not read as a target
	 */
	TargetProperties read(String name, String definition) {
		try {
			return this.mapper.readValue(definition, TargetProperties.class);
		}
		catch (JacksonException ex) {
			throw new UnreadableRegistrationException(name, ex);
		}
	}

}
