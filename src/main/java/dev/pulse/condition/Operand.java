package dev.pulse.condition;

import org.jspecify.annotations.Nullable;

/**
 * One side of a condition: a literal, a placeholder, or a function call. Parsed once,
 * immutable, and resolved for each observation.
 */
sealed interface Operand permits Literal, Reference, FunctionCall, Matcher {

	/** The operand as written, trimmed. */
	String text();

	/**
	 * Resolves this operand. Never throws: what cannot be resolved is
	 * {@link Value#INVALID}.
	 */
	Value resolve(Evaluation evaluation);

	/**
	 * Whether resolving this operand reads the response body, so that the prober keeps
	 * the body only when some condition does.
	 */
	default boolean needsBody() {
		return false;
	}

	/**
	 * What {@code ==} and {@code !=} compare as an integer, if Go's ParseInt reads it.
	 */
	default @Nullable Long integer(Value resolved) {
		return GoNumbers.parseInt(resolved.text());
	}

	/** What {@code <}, {@code <=}, {@code >} and {@code >=} compare. */
	default long number(Value resolved) {
		return GoNumbers.orderingValue(resolved.text());
	}

	/**
	 * Whether this operand is written as a Go duration, such as {@code 48h}; Gatus then
	 * prints its resolved value as a duration.
	 */
	default boolean writtenAsDuration() {
		return false;
	}

}
