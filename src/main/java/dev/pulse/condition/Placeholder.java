package dev.pulse.condition;

import java.math.BigDecimal;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * An operand that stands for something the probe observed, written in square brackets.
 */
enum Placeholder implements Operand {

	/** The HTTP status code, or 0 when no response arrived (as in Gatus). */
	STATUS("[STATUS]") {
		@Override
		Value resolveUnchecked(Observation observation) {
			Integer status = observation.status();
			return Value.of(BigDecimal.valueOf((status != null) ? status : 0));
		}
	},

	/** The response time in whole milliseconds. */
	RESPONSE_TIME("[RESPONSE_TIME]") {
		@Override
		Value resolveUnchecked(Observation observation) {
			return Value.of(wholeMillis(observation.responseTime()));
		}
	};

	private static final BigDecimal MILLIS_PER_SECOND = BigDecimal.valueOf(1000);

	private static final int NANOS_PER_MILLI = 1_000_000;

	private final String text;

	Placeholder(String text) {
		this.text = text;
	}

	/**
	 * The placeholder as written in a condition, brackets included.
	 */
	String text() {
		return this.text;
	}

	/**
	 * Finds the placeholder written exactly as {@code text}; case matters, as in Gatus.
	 */
	static @Nullable Placeholder fromText(String text) {
		for (Placeholder placeholder : values()) {
			if (placeholder.text.equals(text)) {
				return placeholder;
			}
		}
		return null;
	}

	@Override
	public Value resolve(Observation observation) {
		try {
			return resolveUnchecked(observation);
		}
		catch (RuntimeException ex) {
			// Observations come from other code: a null one, a null duration or a
			// throwing
			// implementation must fail the condition, never the evaluation.
			return Value.INVALID;
		}
	}

	abstract Value resolveUnchecked(Observation observation);

	@Override
	public String explain(Value resolved) {
		return this.text + " (" + resolved.text() + ")";
	}

	// Not Duration.toMillis(): it throws on overflow for durations beyond about 292
	// million years.
	private static BigDecimal wholeMillis(Duration duration) {
		return BigDecimal.valueOf(duration.getSeconds())
			.multiply(MILLIS_PER_SECOND)
			.add(BigDecimal.valueOf(duration.getNano() / NANOS_PER_MILLI));
	}

}
