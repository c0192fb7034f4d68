/**
 * Health conditions in the syntax of Gatus: one line such as {@code [STATUS] == 200} or
 * {@code [RESPONSE_TIME] < 300ms} that is parsed once into an immutable
 * {@link dev.pulse.condition.Condition} (rejecting mistakes with a
 * {@link dev.pulse.condition.ConditionSyntaxException} that points at the offending
 * character) and then evaluated against each probe's
 * {@link dev.pulse.condition.Observation}, yielding a
 * {@link dev.pulse.condition.ConditionResult} whose output shows the resolved placeholder
 * values when the condition fails.
 */
@NullMarked
package dev.pulse.condition;

import org.jspecify.annotations.NullMarked;
