package dev.pulse.condition;

/**
 * A function that matches the value on the other side of {@code ==} or {@code !=} instead
 * of resolving to a value: {@code pat(...)} and {@code any(...)}. Like Gatus, it resolves
 * to itself, so it prints as written.
 */
sealed interface Matcher extends Operand permits PatternMatcher, AnyOf {

	/** Whether {@code value}, the other side resolved, matches. */
	boolean matches(String value);

	@Override
	default Value resolve(Evaluation evaluation) {
		return Value.of(text());
	}

}
