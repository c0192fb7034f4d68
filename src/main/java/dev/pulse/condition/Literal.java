package dev.pulse.condition;

import org.jspecify.annotations.Nullable;

/**
 * An operand written out in the condition, such as {@code 200}, {@code 300ms},
 * {@code true} or {@code UP}. How Gatus reads it as a number is worked out once, at parse
 * time.
 *
 * @param text the operand as written
 * @param integer its value for {@code ==} and {@code !=} when Go's ParseInt reads it
 * @param number its value for the orderings
 * @param writtenAsDuration whether it is a Go duration, such as {@code 48h} or {@code 0}
 */
record Literal(String text, @Nullable Long integer, long number, boolean writtenAsDuration) implements Operand {

	static Literal of(String text) {
		return new Literal(text, GoNumbers.parseInt(text), GoNumbers.orderingValue(text),
				GoDurations.parseNanos(text) != null);
	}

	@Override
	public Value resolve(Evaluation evaluation) {
		return Value.of(this.text);
	}

	@Override
	public @Nullable Long integer(Value resolved) {
		return this.integer;
	}

	@Override
	public long number(Value resolved) {
		return this.number;
	}

}
