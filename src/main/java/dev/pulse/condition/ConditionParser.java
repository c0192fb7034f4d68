package dev.pulse.condition;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Turns the text of a condition into a {@link Condition}. The grammar is Gatus's:
 * {@code <operand> <operator> <operand>}, the operator surrounded by white space, so that
 * an operand may itself contain spaces or operator characters that are not surrounded by
 * spaces. Unlike Gatus, which splits on the first operator it finds, exactly one operator
 * is allowed outside the parentheses of a function call, so that
 * {@code [BODY] == pat(* > *)} works and a stray second operator is reported.
 */
final class ConditionParser {

	private ConditionParser() {
	}

	static Condition parse(String rawText) {
		String text = rawText.strip();
		if (text.isEmpty()) {
			throw new ConditionSyntaxException(text, 0, "empty condition");
		}
		Scan scan = scan(text);
		if (scan.operators().isEmpty()) {
			throw missingOperator(text, scan.strayOperatorAt());
		}
		if (scan.operators().size() > 1) {
			OperatorMatch second = scan.operators().get(1);
			throw new ConditionSyntaxException(text, second.position(),
					"unexpected second operator " + second.operator().symbol());
		}
		OperatorMatch match = scan.operators().get(0);
		Operand left = OperandParser.parse(text, 0, match.position(), "left");
		Operand right = OperandParser.parse(text, match.end(), text.length(), "right");
		checkMatchers(text, left, match, right);
		return new Condition(text, left, match.operator(), right);
	}

	/**
	 * Finds every operator that has white space (or the start or end of the text) on both
	 * sides, skipping the arguments of a function call at the start of an operand.
	 */
	private static Scan scan(String text) {
		List<OperatorMatch> operators = new ArrayList<>();
		int strayOperatorAt = -1;
		boolean operandStart = true;
		int i = 0;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (Character.isWhitespace(c)) {
				i++;
				continue;
			}
			Operator operator = (i == 0 || Character.isWhitespace(text.charAt(i - 1))) ? operatorAt(text, i) : null;
			if (operator != null) {
				operators.add(new OperatorMatch(operator, i));
				i += operator.symbol().length();
				operandStart = true;
				continue;
			}
			if (operandStart) {
				operandStart = false;
				int open = OperandParser.functionParenthesis(text, i);
				if (open >= 0) {
					i = OperandParser.closingParenthesis(text, i, open) + 1;
					continue;
				}
			}
			if (strayOperatorAt < 0 && Operator.SYMBOL_CHARACTERS.indexOf(c) >= 0) {
				strayOperatorAt = i;
			}
			i++;
		}
		return new Scan(operators, strayOperatorAt);
	}

	private static @Nullable Operator operatorAt(String text, int i) {
		for (Operator operator : Operator.LONGEST_FIRST) {
			int end = i + operator.symbol().length();
			if (text.startsWith(operator.symbol(), i)
					&& (end == text.length() || Character.isWhitespace(text.charAt(end)))) {
				return operator;
			}
		}
		return null;
	}

	/**
	 * Says why no operator was found: a known one without spaces, an unknown one, or
	 * none.
	 */
	private static ConditionSyntaxException missingOperator(String text, int strayOperatorAt) {
		if (strayOperatorAt < 0) {
			return new ConditionSyntaxException(text, text.length(),
					"missing operator, expected one of ==, !=, <, <=, >, >=");
		}
		int end = strayOperatorAt;
		while (end < text.length() && Operator.SYMBOL_CHARACTERS.indexOf(text.charAt(end)) >= 0) {
			end++;
		}
		String symbol = text.substring(strayOperatorAt, end);
		String problem = (Operator.fromSymbol(symbol) != null) ? "operator " + symbol + " must be surrounded by spaces"
				: "unknown operator " + symbol;
		return new ConditionSyntaxException(text, strayOperatorAt, problem);
	}

	/**
	 * As in Gatus, pat() and any() match the value on the other side, so they need one,
	 * and only {@code ==} and {@code !=} use them.
	 */
	private static void checkMatchers(String text, Operand left, OperatorMatch match, Operand right) {
		if (left instanceof Matcher && right instanceof Matcher) {
			throw new ConditionSyntaxException(text, text.length() - right.text().length(),
					"pat() and any() need a value on the other side, not another pat() or any()");
		}
		Operand matcher = (left instanceof Matcher) ? left : right;
		if (matcher instanceof Matcher && !match.operator().isEquality()) {
			String function = matcher.text().substring(0, matcher.text().indexOf('('));
			throw new ConditionSyntaxException(text, match.position(), "operator " + match.operator().symbol()
					+ " cannot be used with " + function + "(), only == and !=");
		}
	}

	private record Scan(List<OperatorMatch> operators, int strayOperatorAt) {

	}

	private record OperatorMatch(Operator operator, int position) {

		int end() {
			return this.position + this.operator.symbol().length();
		}

	}

}
