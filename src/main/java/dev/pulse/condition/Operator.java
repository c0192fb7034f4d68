package dev.pulse.condition;

import java.math.BigDecimal;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The comparison at the heart of a condition. Compares numerically when both sides are
 * numbers; otherwise {@code ==} and {@code !=} compare text and the orderings are false,
 * so that a condition such as {@code [STATUS] < abc} fails instead of throwing.
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

	static @Nullable Operator fromSymbol(String symbol) {
		for (Operator operator : values()) {
			if (operator.symbol.equals(symbol)) {
				return operator;
			}
		}
		return null;
	}

	/**
	 * Applies this operator; a side that could not be resolved fails every comparison.
	 */
	boolean test(Value left, Value right) {
		if (!left.valid() || !right.valid()) {
			return false;
		}
		BigDecimal leftNumber = left.number();
		BigDecimal rightNumber = right.number();
		if (leftNumber != null && rightNumber != null) {
			// compareTo, not equals: 200 and 200.0 are the same number
			int comparison = leftNumber.compareTo(rightNumber);
			return switch (this) {
				case EQUAL -> comparison == 0;
				case NOT_EQUAL -> comparison != 0;
				case LESS_THAN -> comparison < 0;
				case LESS_THAN_OR_EQUAL -> comparison <= 0;
				case GREATER_THAN -> comparison > 0;
				case GREATER_THAN_OR_EQUAL -> comparison >= 0;
			};
		}
		return switch (this) {
			case EQUAL -> left.text().equals(right.text());
			case NOT_EQUAL -> !left.text().equals(right.text());
			case LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> false;
		};
	}

}
