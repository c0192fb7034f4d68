package dev.pulse.target;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown by {@link ConfigurationCheck} before any bean is created, with every invalid
 * {@code pulse.*} key of every properties record and every configured target, so one
 * start-up shows the whole list instead of the first record that fails.
 */
class InvalidConfigurationException extends RuntimeException {

	private final List<InvalidTargetException.Violation> violations;

	InvalidConfigurationException(List<InvalidTargetException.Violation> violations) {
		super(violations.stream().map(InvalidTargetException.Violation::toString).collect(Collectors.joining("; ")));
		this.violations = List.copyOf(violations);
	}

	List<InvalidTargetException.Violation> violations() {
		return this.violations;
	}

}
