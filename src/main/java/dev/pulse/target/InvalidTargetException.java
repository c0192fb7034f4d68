package dev.pulse.target;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when one or more targets break a rule that property binding cannot check on its
 * own (a name, a timeout against its interval, a condition that does not parse). Carries
 * every violation, not only the first, so one start-up shows the whole list.
 */
public class InvalidTargetException extends RuntimeException {

	private final List<Violation> violations;

	public InvalidTargetException(List<Violation> violations) {
		super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
		this.violations = List.copyOf(violations);
	}

	public List<Violation> violations() {
		return this.violations;
	}

	/**
	 * One broken rule.
	 *
	 * @param field the full key, such as {@code pulse.targets.api.timeout}
	 * @param message the rule, with the offending value
	 */
	public record Violation(String field, String message) {

		@Override
		public String toString() {
			return this.field + ": " + this.message;
		}

	}

}
