package dev.pulse.condition;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses one side of a condition: a function call such as {@code len([BODY].items)}, a
 * placeholder such as {@code [BODY].data[0].name}, or a literal. Where Gatus would
 * silently treat a mistake as a plain string that never matches, this rejects it: an
 * unknown {@code [PLACEHOLDER]} or {@code function(}, an unbalanced bracket or
 * parenthesis, an invalid pattern.
 */
final class OperandParser {

	private OperandParser() {
	}

	/**
	 * Parses {@code text[from, to)}, one side of the operator.
	 * @param side {@code left} or {@code right}, for errors
	 */
	static Operand parse(String text, int from, int to, String side) {
		int start = from;
		while (start < to && Character.isWhitespace(text.charAt(start))) {
			start++;
		}
		int end = to;
		while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
			end--;
		}
		if (start == end) {
			throw new ConditionSyntaxException(text, from, "missing " + side + " operand");
		}
		String operand = text.substring(start, end);
		int open = functionParenthesis(operand, 0);
		if (open >= 0) {
			return function(text, start, operand, open);
		}
		if (startsPlaceholder(operand)) {
			return reference(text, start, operand);
		}
		return Literal.of(operand);
	}

	/**
	 * Where the parenthesis of a function call starting at {@code start} is: a name of
	 * ASCII letters, digits and underscores, then {@code (}.
	 * @return the index of the parenthesis, or -1 when there is no call at {@code start}
	 */
	static int functionParenthesis(String text, int start) {
		if (start >= text.length() || !isAsciiLetter(text.charAt(start))) {
			return -1;
		}
		int i = start + 1;
		while (i < text.length()
				&& (isAsciiLetter(text.charAt(i)) || isAsciiDigit(text.charAt(i)) || text.charAt(i) == '_')) {
			i++;
		}
		return (i < text.length() && text.charAt(i) == '(') ? i : -1;
	}

	/**
	 * Finds the parenthesis that closes the one at {@code open}.
	 * @param start where the function name starts, for the error
	 * @throws ConditionSyntaxException when it is never closed
	 */
	static int closingParenthesis(String text, int start, int open) {
		int depth = 0;
		for (int i = open; i < text.length(); i++) {
			char c = text.charAt(i);
			depth += (c == '(') ? 1 : (c == ')') ? -1 : 0;
			if (depth == 0) {
				return i;
			}
		}
		throw new ConditionSyntaxException(text, open, "missing ) to close " + text.substring(start, open + 1));
	}

	private static Operand function(String text, int start, String call, int open) {
		String name = call.substring(0, open);
		int close = closingParenthesis(text, start, start + open) - start;
		if (close != call.length() - 1) {
			throw unexpectedTextAfter(text, start + close + 1, call.substring(close + 1), call.substring(0, close + 1));
		}
		ConditionFunction function = ConditionFunction.fromName(name);
		if (function == null) {
			throw new ConditionSyntaxException(text, start,
					"unknown function " + name + ", expected one of len, has, pat, any");
		}
		String argument = call.substring(open + 1, close);
		int argumentAt = start + open + 1;
		return switch (function) {
			case LEN, HAS -> {
				if (!startsPlaceholder(argument)) {
					String example = (function == ConditionFunction.LEN) ? "len([BODY].items)" : "has([BODY].errors)";
					throw new ConditionSyntaxException(text, argumentAt,
							name + "() needs a placeholder, such as " + example);
				}
				yield new FunctionCall(call, function, reference(text, argumentAt, argument));
			}
			case PAT -> {
				try {
					yield new PatternMatcher(call, GlobPattern.compile(argument));
				}
				catch (IllegalArgumentException ex) {
					throw new ConditionSyntaxException(text, argumentAt, "invalid pattern: " + ex.getMessage());
				}
			}
			case ANY -> {
				List<String> options = new ArrayList<>();
				for (String option : argument.split(",", -1)) {
					options.add(GoStrings.trimSpace(option));
				}
				yield new AnyOf(call, options);
			}
		};
	}

	/** Parses {@code [NAME]} and what follows it: a JSON path or a header name. */
	private static Reference reference(String text, int start, String operand) {
		int close = operand.indexOf(']');
		if (close < 0) {
			throw new ConditionSyntaxException(text, start, "unterminated placeholder " + operand);
		}
		String bracketed = operand.substring(0, close + 1);
		String name = operand.substring(1, close);
		Placeholder placeholder = Placeholder.fromName(name);
		if (placeholder == null) {
			String problem = Placeholder.isUnsupported(name) ? "unsupported placeholder " : "unknown placeholder ";
			throw new ConditionSyntaxException(text, start, problem + bracketed);
		}
		String rest = operand.substring(close + 1);
		int restAt = start + close + 1;
		if (placeholder == Placeholder.BODY && (rest.startsWith(".") || rest.startsWith("["))) {
			return new Reference(operand, placeholder, JsonPath.parse(rest, text, restAt), null);
		}
		if (placeholder == Placeholder.HEADERS) {
			return new Reference(operand, placeholder, null, headerName(text, restAt, rest));
		}
		if (!rest.isEmpty()) {
			throw unexpectedTextAfter(text, restAt, rest, bracketed);
		}
		return new Reference(operand, placeholder, null, null);
	}

	/** The header name after {@code [HEADERS].}: an HTTP token. */
	private static String headerName(String text, int restAt, String rest) {
		if (!rest.startsWith(".") || rest.length() == 1) {
			throw new ConditionSyntaxException(text, restAt + (rest.startsWith(".") ? 1 : 0),
					"missing header name after [HEADERS], such as [HEADERS].Content-Type");
		}
		for (int i = 1; i < rest.length(); i++) {
			char c = rest.charAt(i);
			if (!isAsciiLetter(c) && !isAsciiDigit(c) && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
				throw new ConditionSyntaxException(text, restAt + i, "invalid character in header name");
			}
		}
		return rest.substring(1);
	}

	private static boolean startsPlaceholder(String operand) {
		return operand.length() > 1 && operand.charAt(0) == '['
				&& (isAsciiLetter(operand.charAt(1)) || operand.charAt(1) == '_');
	}

	private static ConditionSyntaxException unexpectedTextAfter(String text, int restAt, String rest, String what) {
		int offset = 0;
		while (offset < rest.length() && Character.isWhitespace(rest.charAt(offset))) {
			offset++;
		}
		return new ConditionSyntaxException(text, restAt + offset, "unexpected text after " + what);
	}

	private static boolean isAsciiLetter(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
	}

	private static boolean isAsciiDigit(char c) {
		return c >= '0' && c <= '9';
	}

}
