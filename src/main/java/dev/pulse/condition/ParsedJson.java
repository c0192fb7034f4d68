package dev.pulse.condition;

import org.jspecify.annotations.Nullable;

/**
 * A response body decoded as JSON by {@link JsonReader}, or found not to be JSON.
 *
 * @param valid whether the body is JSON
 * @param root the decoded value: a map, list, string, double or boolean, or {@code null}
 * for a JSON {@code null} or when not valid
 */
record ParsedJson(boolean valid, @Nullable Object root) {

	static final ParsedJson NOT_JSON = new ParsedJson(false, null);

}
