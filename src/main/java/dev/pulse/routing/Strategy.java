package dev.pulse.routing;

import java.util.Locale;

/** How a target is picked among the eligible ones. */
public enum Strategy {

	/** Weighted random choice: each target's chance is its share of the total weight. */
	WEIGHTED,

	/** Power of two choices: two targets at random, the higher score wins. */
	P2C;

	/**
	 * The strategy with a name.
	 * @param name {@code weighted} or {@code p2c}, in any case
	 * @return the strategy
	 * @throws IllegalArgumentException for any other name
	 */
	public static Strategy of(String name) {
		return switch (name.toLowerCase(Locale.ROOT)) {
			case "weighted" -> WEIGHTED;
			case "p2c" -> P2C;
			default -> throw new IllegalArgumentException("strategy must be weighted or p2c, not '" + name + "'");
		};
	}

}
