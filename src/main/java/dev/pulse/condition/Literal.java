package dev.pulse.condition;

/**
 * An operand written out in the condition, such as {@code 200}, {@code 300ms} or
 * {@code UP}. Its numeric value is worked out once, at parse time.
 *
 * @param text the operand as written
 * @param value what it resolves to, whatever the observation
 */
record Literal(String text, Value value) implements Operand {

	static Literal of(String text) {
		return new Literal(text, new Value(text, NumericLiterals.parse(text), true));
	}

	@Override
	public Value resolve(Observation observation) {
		return this.value;
	}

	@Override
	public String explain(Value resolved) {
		// Gatus keeps literals as written, so "300ms" stays "300ms" rather than "300"
		return this.text;
	}

}
