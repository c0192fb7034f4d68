package dev.pulse.condition;

import java.util.List;

/**
 * {@code any(...)}: whether the other side is exactly one of the listed values, such as
 * {@code [STATUS] == any(200, 201, 204)}. As in Gatus the comparison is textual:
 * {@code any(200)} does not match a status written {@code 0xC8}.
 *
 * @param text the call as written
 * @param options the values, each trimmed of white space
 */
record AnyOf(String text, List<String> options) implements Matcher {

	AnyOf {
		options = List.copyOf(options);
	}

	@Override
	public boolean matches(String value) {
		return this.options.contains(value);
	}

}
