package dev.pulse.routing;

import java.util.List;

/**
 * A target's routing score and weight, with the factors that made them.
 *
 * @param score 0 to 100
 * @param weight static weight x score / 100 x slow-start ramp; 0 when the target is not
 * up
 * @param explanation every factor, in the order applied
 */
public record Score(double score, double weight, List<Factor> explanation) {

	public Score {
		explanation = List.copyOf(explanation);
	}

}
