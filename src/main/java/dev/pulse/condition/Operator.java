package dev.pulse.condition;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The comparison at the heart of a condition, written with white space on both sides.
 * {@code ==} and {@code !=} compare text, or integers when both sides are integers in Go
 * syntax; the orderings compare numbers as Gatus reads them (see {@link GoNumbers}).
 */
enum Operator {

	EQUAL("=="), NOT_EQUAL("!="), LESS_THAN_OR_EQUAL("<="), GREATER_THAN_OR_EQUAL(">="), LESS_THAN("<"),
	GREATER_THAN(">");

	/**
	 * Longest symbols first, so that {@code <=} is never read as {@code <} followed by
	 * text.
	 */
	static final List<Operator> LONGEST_FIRST = List.of(EQUAL, NOT_EQUAL, LESS_THAN_OR_EQUAL, GREATER_THAN_OR_EQUAL,
			LESS_THAN, GREATER_THAN);

	/** The characters operators are made of, to recognise a malformed one. */
	static final String SYMBOL_CHARACTERS = "=!<>";

	private final String symbol;

	Operator(String symbol) {
		this.symbol = symbol;
	}

	String symbol() {
		return this.symbol;
	}

	/**
	 * Whether this is {@code ==} or {@code !=}, the operators pat() and any() work with.
	 */
	boolean isEquality() {
		return this == EQUAL || this == NOT_EQUAL;
	}

	static @Nullable Operator fromSymbol(String symbol) {
		for (Operator operator : values()) {
			if (operator.symbol.equals(symbol)) {
				return operator;
			}
		}
		return null;
	}

	/** Applies an ordering to two numbers. */
	boolean order(long left, long right) {
		return switch (this) {
			case LESS_THAN -> left < right;
			case LESS_THAN_OR_EQUAL -> left <= right;
			case GREATER_THAN -> left > right;
			case GREATER_THAN_OR_EQUAL -> left >= right;
			case EQUAL -> left == right;
			case NOT_EQUAL -> left != right;
		};
	}

}
