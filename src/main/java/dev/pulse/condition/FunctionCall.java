package dev.pulse.condition;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * {@code len(...)} or {@code has(...)} around a placeholder, resolved as Gatus resolves
 * them: {@code len([BODY].items)} is {@code 3}, {@code has([BODY].errors)} is
 * {@code false}.
 *
 * @param text the call as written
 * @param function {@link ConditionFunction#LEN} or {@link ConditionFunction#HAS}
 * @param argument the placeholder inside the parentheses
 */
record FunctionCall(String text, ConditionFunction function, Reference argument) implements Operand {

	@Override
	public Value resolve(Evaluation evaluation) {
		try {
			if (this.function == ConditionFunction.HAS) {
				return Value.of(Boolean.toString(has(evaluation)));
			}
			Integer length = length(evaluation);
			return (length != null) ? Value.of(length.toString()) : Value.INVALID;
		}
		catch (RuntimeException ex) {
			return Value.INVALID;
		}
	}

	@Override
	public boolean needsBody() {
		return this.argument.needsBody();
	}

	private boolean has(Evaluation evaluation) {
		if (this.argument.placeholder() == Placeholder.BODY && this.argument.path() != null) {
			return this.argument.walk(evaluation) != null;
		}
		String value = this.argument.raw(evaluation);
		return value != null && !value.isEmpty();
	}

	private @Nullable Integer length(Evaluation evaluation) {
		if (this.argument.placeholder() != Placeholder.BODY) {
			String value = this.argument.raw(evaluation);
			return (value != null) ? GoStrings.utf8Length(value) : null;
		}
		if (this.argument.path() != null) {
			JsonPath.Walked walked = this.argument.walk(evaluation);
			return (walked != null) ? walked.length() : null;
		}
		byte[] body = evaluation.body();
		if (body == null) {
			return null;
		}
		// Gatus decodes the whole body only when it looks like an array; otherwise, or
		// when it does not decode, len([BODY]) is its length in bytes, untrimmed
		if (body.length > 0 && body[0] == '[' && body[body.length - 1] == ']'
				&& evaluation.json().root() instanceof List<?> array) {
			return array.size();
		}
		return body.length;
	}

}
