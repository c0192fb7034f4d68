package dev.pulse.condition;

import org.jspecify.annotations.Nullable;

/**
 * The functions of Gatus's condition language. Names are lower case, as in Gatus.
 */
enum ConditionFunction {

	/**
	 * {@code len([BODY].items)}: the number of elements of an array, else the length in
	 * bytes of the value, such as {@code 3}.
	 */
	LEN("len"),

	/**
	 * {@code has([BODY].errors)}: {@code true} when the placeholder resolves to
	 * something, else {@code false}.
	 */
	HAS("has"),

	/**
	 * {@code pat(john*)}, compared with {@code ==} or {@code !=}: whether the other side
	 * matches a pattern where {@code *} is any text, {@code ?} one character and
	 * {@code [a-z]} a class.
	 */
	PAT("pat"),

	/**
	 * {@code any(200, 201)}, compared with {@code ==} or {@code !=}: whether the other
	 * side is one of the values.
	 */
	ANY("any");

	private final String functionName;

	ConditionFunction(String functionName) {
		this.functionName = functionName;
	}

	String functionName() {
		return this.functionName;
	}

	/** Whether this function matches the other side rather than resolving to a value. */
	boolean isMatcher() {
		return this == PAT || this == ANY;
	}

	/**
	 * Finds a function by name; case matters, as in Gatus.
	 * @return the function, or {@code null} when there is none by that name
	 */
	static @Nullable ConditionFunction fromName(String name) {
		for (ConditionFunction function : values()) {
			if (function.functionName.equals(name)) {
				return function;
			}
		}
		return null;
	}

}
