package dev.pulse.routing;

/**
 * One term of a score or weight, so an operator can see why a target has the weight it
 * has.
 *
 * @param name what it is: {@code state}, {@code latency}, {@code errors},
 * {@code slow-start}, {@code weight}
 * @param input what it was computed from, in words and numbers
 * @param value its value: points for latency and errors (0 to 50 each), a multiplier for
 * state and slow start, the static weight for weight
 * @param effect how it enters the result, such as {@code +42.5 points} or {@code x0.50}
 */
public record Factor(String name, String input, double value, String effect) {
}
