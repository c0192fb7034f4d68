package dev.pulse.condition;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the text of a condition into a {@link Condition}. The grammar is Gatus's:
 * {@code <operand> <operator> <operand>}, the operator surrounded by whitespace, so that
 * an operand may itself contain spaces or operator characters that are not surrounded by
 * spaces.
 */
final class ConditionParser {

	private ConditionParser() {
	}

	static Condition parse(String rawText) {
		String text = rawText.strip();
		if (text.isEmpty()) {
			throw new ConditionSyntaxException(text, 0, "empty condition");
		}
		List<OperatorMatch> operators = findOperators(text);
		if (operators.isEmpty()) {
			throw missingOperator(text);
		}
		if (operators.size() > 1) {
			OperatorMatch second = operators.get(1);
			throw new ConditionSyntaxException(text, second.position(),
					"unexpected second operator " + second.operator().symbol());
		}
		OperatorMatch match = operators.get(0);
		Operand left = operand(text, 0, match.position(), "left");
		Operand right = operand(text, match.end(), text.length(), "right");
		return new Condition(text, left, match.operator(), right);
	}

	/**
	 * Every operator that has whitespace (or the start or end of the text) on both sides.
	 */
	private static List<OperatorMatch> findOperators(String text) {
		List<OperatorMatch> matches = new ArrayList<>();
		for (int i = 0; i < text.length(); i++) {
			if (i > 0 && !Character.isWhitespace(text.charAt(i - 1))) {
				continue;
			}
			for (Operator operator : Operator.LONGEST_FIRST) {
				int end = i + operator.symbol().length();
				if (text.startsWith(operator.symbol(), i)
						&& (end == text.length() || Character.isWhitespace(text.charAt(end)))) {
					matches.add(new OperatorMatch(operator, i));
					i = end - 1;
					break;
				}
			}
		}
		return matches;
	}

	/**
	 * Says why no operator was found: a known one without spaces, an unknown one, or
	 * none.
	 */
	private static ConditionSyntaxException missingOperator(String text) {
		for (int start = 0; start < text.length(); start++) {
			if (Operator.SYMBOL_CHARACTERS.indexOf(text.charAt(start)) >= 0) {
				int end = start;
				while (end < text.length() && Operator.SYMBOL_CHARACTERS.indexOf(text.charAt(end)) >= 0) {
					end++;
				}
				String symbol = text.substring(start, end);
				String problem = (Operator.fromSymbol(symbol) != null)
						? "operator " + symbol + " must be surrounded by spaces" : "unknown operator " + symbol;
				return new ConditionSyntaxException(text, start, problem);
			}
		}
		return new ConditionSyntaxException(text, text.length(),
				"missing operator, expected one of ==, !=, <, <=, >, >=");
	}

	/** Parses {@code text[from, to)}, which is one side of the operator. */
	private static Operand operand(String text, int from, int to, String side) {
		int start = from;
		while (start < to && Character.isWhitespace(text.charAt(start))) {
			start++;
		}
		String operand = text.substring(start, to).strip();
		if (operand.isEmpty()) {
			throw new ConditionSyntaxException(text, from, "missing " + side + " operand");
		}
		if (operand.charAt(0) != '[') {
			return Literal.of(operand);
		}
		int close = operand.indexOf(']');
		if (close < 0) {
			throw new ConditionSyntaxException(text, start, "unterminated placeholder " + operand);
		}
		String name = operand.substring(0, close + 1);
		Placeholder placeholder = Placeholder.fromText(name);
		if (placeholder == null) {
			throw new ConditionSyntaxException(text, start, "unknown placeholder " + name);
		}
		if (close + 1 < operand.length()) {
			int extra = close + 1;
			while (Character.isWhitespace(operand.charAt(extra))) {
				extra++;
			}
			throw new ConditionSyntaxException(text, start + extra, "unexpected text after " + name);
		}
		return placeholder;
	}

	private record OperatorMatch(Operator operator, int position) {

		int end() {
			return this.position + this.operator.symbol().length();
		}

	}

}
