package dev.pulse.condition;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * One evaluation of one condition: the observation, and the body read, decoded and parsed
 * at most once however many operands need it.
 */
final class Evaluation {

	private final @Nullable Observation observation;

	private boolean bodyRead;

	private byte @Nullable [] body;

	private @Nullable String trimmedBody;

	Evaluation(@Nullable Observation observation) {
		this.observation = observation;
	}

	/** The observation, or {@code null} when there is none: nothing resolves then. */
	@Nullable Observation observation() {
		return this.observation;
	}

	/** The body bytes, or {@code null} when no body was read. */
	byte @Nullable [] body() {
		if (!this.bodyRead) {
			this.body = (this.observation != null) ? this.observation.body() : null;
			this.bodyRead = true;
		}
		return this.body;
	}

	/** The body as text, trimmed of white space as Gatus trims it. */
	@Nullable String trimmedBody() {
		byte[] bytes = body();
		if (bytes != null && this.trimmedBody == null) {
			this.trimmedBody = GoStrings.trimSpace(new String(bytes, StandardCharsets.UTF_8));
		}
		return this.trimmedBody;
	}

	/** The body decoded as JSON. */
	ParsedJson json() {
		byte[] bytes = body();
		return (bytes != null) ? JsonBodies.parse(bytes) : ParsedJson.NOT_JSON;
	}

}
