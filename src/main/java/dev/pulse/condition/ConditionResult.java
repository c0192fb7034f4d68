package dev.pulse.condition;

/**
 * The outcome of evaluating one {@link Condition} against one {@link Observation}.
 *
 * @param condition the condition as written (trimmed)
 * @param success whether the condition held
 * @param output what to show: the condition as written when it held, otherwise the
 * condition with each placeholder followed by its resolved value, such as
 * {@code [STATUS] (500) == 200}
 */
public record ConditionResult(String condition, boolean success, String output) {

}
