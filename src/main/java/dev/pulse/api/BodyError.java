package dev.pulse.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One reason a request body could not be read, as an entry of a problem's {@code errors}.
 * Field names are a stable JSON contract; absent parts are left out.
 *
 * @param field the field as a dotted name, such as {@code retry.max-attempts} or
 * {@code conditions[1]}; empty for the body as a whole
 * @param pointer the same as a JSON pointer (RFC 6901), such as
 * {@code /retry/max-attempts}; empty for the body as a whole
 * @param message what is wrong, for people
 * @param expected what the field or body should be, such as {@code an integer}
 * @param line the line of a syntax error, from 1
 * @param column the column of a syntax error, from 1
 * @param suggestion for an unknown field, the known field that was probably meant
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record BodyError(String field, String pointer, String message, @Nullable String expected, @Nullable Integer line,
		@Nullable Integer column, @Nullable String suggestion) {

	static BodyError of(String field, String pointer, String message, @Nullable String expected) {
		return new BodyError(field, pointer, message, expected, null, null, null);
	}

}
