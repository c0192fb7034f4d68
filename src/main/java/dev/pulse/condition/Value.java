package dev.pulse.condition;

import java.math.BigDecimal;

import org.jspecify.annotations.Nullable;

/**
 * One side of a condition once resolved against an observation.
 *
 * @param text how the value prints, and what {@code ==} and {@code !=} compare when a
 * side is not numeric
 * @param number the numeric value, or {@code null} when the text is not a number
 * @param valid {@code false} when the value could not be resolved at all; such a side
 * makes every comparison fail
 */
record Value(String text, @Nullable BigDecimal number, boolean valid) {

	/**
	 * Printed as Gatus prints a placeholder it could not resolve: {@code [X] (INVALID)}.
	 */
	static final Value INVALID = new Value("INVALID", null, false);

	static Value of(BigDecimal number) {
		return new Value(number.toPlainString(), number, true);
	}

}
