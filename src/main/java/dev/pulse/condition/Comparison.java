package dev.pulse.condition;

/**
 * Compares the two resolved sides of a condition and explains a failure exactly as Gatus
 * does: each side that resolved to something other than its text is followed by the value
 * in parentheses, such as {@code [STATUS] (500) == 200}.
 */
final class Comparison {

	/** Gatus shortens a value compared with a pattern to this many characters. */
	private static final int PATTERN_VALUE_LIMIT = 25;

	private Comparison() {
	}

	/**
	 * Whether the condition holds. A side that could not be resolved fails every
	 * operator.
	 */
	static boolean holds(Operand left, Value leftValue, Operator operator, Operand right, Value rightValue) {
		if (!leftValue.valid() || !rightValue.valid()) {
			return false;
		}
		if (!operator.isEquality()) {
			return operator.order(left.number(leftValue), right.number(rightValue));
		}
		return equal(left, leftValue, right, rightValue) == (operator == Operator.EQUAL);
	}

	/** Gatus's {@code isEqual}. */
	private static boolean equal(Operand left, Value leftValue, Operand right, Value rightValue) {
		if (left instanceof Matcher matcher) {
			return matcher.matches(rightValue.text());
		}
		if (right instanceof Matcher matcher) {
			return matcher.matches(leftValue.text());
		}
		Long leftInteger = left.integer(leftValue);
		Long rightInteger = right.integer(rightValue);
		if (leftInteger != null && rightInteger != null) {
			return leftInteger.equals(rightInteger);
		}
		return leftValue.text().equals(rightValue.text());
	}

	/** Gatus's {@code prettify}: the condition with its resolved values. */
	static String explain(Operand left, Value leftValue, Operator operator, Operand right, Value rightValue) {
		return side(left, leftValue, operator, right) + " " + operator.symbol() + " "
				+ side(right, rightValue, operator, left);
	}

	private static String side(Operand operand, Value value, Operator operator, Operand other) {
		if (!value.valid()) {
			return operand.text() + " (INVALID)";
		}
		String shown;
		if (operator.isEquality()) {
			shown = value.text();
			if (other instanceof PatternMatcher && GoStrings.utf8Length(shown) > PATTERN_VALUE_LIMIT) {
				shown = GoStrings.firstRunes(shown, PATTERN_VALUE_LIMIT) + "...(truncated)";
			}
		}
		else {
			// Orderings print the number compared, as a duration when Gatus reads the
			// side as one
			long number = operand.number(value);
			boolean duration = operand.writtenAsDuration() || operand.text().equals("[CERTIFICATE_EXPIRATION]");
			shown = duration ? GoDurations.gatusFormat(number) : Long.toString(number);
		}
		return shown.equals(operand.text()) ? operand.text() : operand.text() + " (" + shown + ")";
	}

}
