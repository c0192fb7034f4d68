package dev.pulse.condition;

import org.jspecify.annotations.Nullable;

/**
 * One Gatus health condition, such as {@code [STATUS] == 200},
 * {@code [BODY].data[0].name == pat(john*)} or {@code len([BODY].items) > 0}. Parsed once
 * with {@link #parse(String)}, then evaluated against any number of observations.
 * Immutable and thread-safe.
 */
public final class Condition {

	private final String text;

	private final Operand left;

	private final Operator operator;

	private final Operand right;

	// Every success looks the same, and a target keeps its last results in memory: one
	// shared instance per condition instead of one per probe.
	private final ConditionResult held;

	Condition(String text, Operand left, Operator operator, Operand right) {
		this.text = text;
		this.left = left;
		this.operator = operator;
		this.right = right;
		this.held = new ConditionResult(text, true, text);
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
	 * @return whether the condition held, and what to show for it: the condition as
	 * written when it held, else Gatus's explanation with the resolved values
	 */
	public ConditionResult evaluate(@Nullable Observation observation) {
		try {
			return evaluateUnguarded(observation);
		}
		catch (RuntimeException | StackOverflowError ex) {
			// Operands already turn what they cannot resolve into INVALID; this is the
			// last line of defence for the never-throws promise
			return new ConditionResult(this.text, false,
					this.left.text() + " (INVALID) " + this.operator.symbol() + " " + this.right.text() + " (INVALID)");
		}
	}

	/** Evaluates without the safety net, so that tests see any exception. */
	ConditionResult evaluateUnguarded(@Nullable Observation observation) {
		Evaluation evaluation = new Evaluation(observation);
		Value leftValue = this.left.resolve(evaluation);
		Value rightValue = this.right.resolve(evaluation);
		if (Comparison.holds(this.left, leftValue, this.operator, this.right, rightValue)) {
			return this.held;
		}
		return new ConditionResult(this.text, false,
				Comparison.explain(this.left, leftValue, this.operator, this.right, rightValue));
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
