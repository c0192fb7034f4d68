package dev.pulse.condition;

import org.jspecify.annotations.Nullable;

/**
 * One Gatus-style health condition, such as {@code [STATUS] == 200} or
 * {@code [RESPONSE_TIME] < 300ms}. Parsed once with {@link #parse(String)}, then
 * evaluated against any number of observations. Immutable and thread-safe.
 */
public final class Condition {

	private final String text;

	private final Operand left;

	private final Operator operator;

	private final Operand right;

	Condition(String text, Operand left, Operator operator, Operand right) {
		this.text = text;
		this.left = left;
		this.operator = operator;
		this.right = right;
	}

	/**
	 * Parses a condition.
	 * @param text the condition; surrounding whitespace is ignored
	 * @return the parsed condition
	 * @throws ConditionSyntaxException if the text is not a valid condition
	 */
	public static Condition parse(String text) {
		return ConditionParser.parse(text);
	}

	/**
	 * The condition as written, trimmed.
	 */
	public String text() {
		return this.text;
	}

	/**
	 * Evaluates this condition against what a probe observed. Never throws: a value that
	 * cannot be resolved fails the condition and shows as {@code (INVALID)} in the
	 * output.
	 * @param observation what the probe observed
	 * @return whether the condition held, and what to show for it
	 */
	public ConditionResult evaluate(Observation observation) {
		Value leftValue = this.left.resolve(observation);
		Value rightValue = this.right.resolve(observation);
		if (this.operator.test(leftValue, rightValue)) {
			return new ConditionResult(this.text, true, this.text);
		}
		String output = this.left.explain(leftValue) + " " + this.operator.symbol() + " "
				+ this.right.explain(rightValue);
		return new ConditionResult(this.text, false, output);
	}

	/**
	 * Whether evaluating this condition needs the response body, so that the prober reads
	 * the body only when some condition does.
	 */
	public boolean needsBody() {
		return this.left.needsBody() || this.right.needsBody();
	}

	@Override
	public boolean equals(@Nullable Object other) {
		// Parsing is deterministic, so the text identifies the condition
		return (this == other) || (other instanceof Condition condition && this.text.equals(condition.text));
	}

	@Override
	public int hashCode() {
		return this.text.hashCode();
	}

	@Override
	public String toString() {
		return this.text;
	}

}
