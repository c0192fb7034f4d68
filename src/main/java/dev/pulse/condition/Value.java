package dev.pulse.condition;

import org.jspecify.annotations.Nullable;

/**
 * One side of a condition once resolved against an observation.
 *
 * @param text the value as Gatus prints it, and what {@code ==} and {@code !=} compare
 * @param valid {@code false} when the value could not be resolved; such a side fails
 * every comparison and prints as {@code (INVALID)}
 */
record Value(String text, boolean valid) {

	/**
	 * What a placeholder that cannot be resolved becomes; printed {@code [X] (INVALID)},
	 * as Gatus prints it.
	 */
	static final Value INVALID = new Value("INVALID", false);

	static Value of(String text) {
		return new Value(text, true);
	}

	static Value ofNullable(@Nullable String text) {
		return (text != null) ? of(text) : INVALID;
	}

}
