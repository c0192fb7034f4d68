package dev.pulse.condition;

/**
 * One side of a condition: something that resolves to a {@link Value} for an observation.
 */
sealed interface Operand permits Placeholder, Literal {

	/**
	 * Resolves this operand. Never throws: what cannot be resolved is
	 * {@link Value#INVALID}.
	 */
	Value resolve(Observation observation);

	/**
	 * How this operand appears in the output of a failing condition.
	 */
	String explain(Value resolved);

	/**
	 * Whether resolving this operand needs the response body, so the prober reads it only
	 * when some condition does.
	 */
	default boolean needsBody() {
		return false;
	}

}
