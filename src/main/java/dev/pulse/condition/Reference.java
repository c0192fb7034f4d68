package dev.pulse.condition;

import org.jspecify.annotations.Nullable;

/**
 * A placeholder as written in a condition, with its JSON path or header name if it takes
 * one: {@code [STATUS]}, {@code [BODY].data[0].name}, {@code [HEADERS].Content-Type}.
 *
 * @param text the reference as written
 * @param placeholder what it reads
 * @param path for {@link Placeholder#BODY}, the JSON path, or {@code null} for the whole
 * body
 * @param header for {@link Placeholder#HEADERS}, the header name
 */
record Reference(String text, Placeholder placeholder, @Nullable JsonPath path,
		@Nullable String header) implements Operand {

	@Override
	public Value resolve(Evaluation evaluation) {
		try {
			return Value.ofNullable(raw(evaluation));
		}
		catch (RuntimeException ex) {
			// Observations come from other code: a null one or one that throws must fail
			// the condition, never the evaluation
			return Value.INVALID;
		}
	}

	@Override
	public boolean needsBody() {
		return this.placeholder == Placeholder.BODY;
	}

	/**
	 * The value as Gatus prints it.
	 * @return the value, or {@code null} when it cannot be resolved
	 */
	@Nullable String raw(Evaluation evaluation) {
		if (this.placeholder == Placeholder.BODY) {
			if (this.path == null) {
				return evaluation.trimmedBody();
			}
			JsonPath.Walked walked = walk(evaluation);
			return (walked != null) ? walked.text() : null;
		}
		Observation observation = evaluation.observation();
		if (observation == null) {
			return null;
		}
		if (this.placeholder == Placeholder.HEADERS) {
			return (this.header != null) ? observation.header(this.header) : null;
		}
		return this.placeholder.value(observation);
	}

	/** Walks the JSON path through the body; {@code null} where Gatus fails. */
	JsonPath.@Nullable Walked walk(Evaluation evaluation) {
		return (this.path != null) ? this.path.walk(evaluation.json()) : null;
	}

}
