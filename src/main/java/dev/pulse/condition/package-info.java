/**
 * Health conditions in the language of Gatus, such as {@code [STATUS] == 200},
 * {@code [RESPONSE_TIME] < 300ms}, {@code [BODY].data[0].name == pat(john*)},
 * {@code len([BODY].items) > 0}, {@code [STATUS] == any(200, 204)} or
 * {@code [CERTIFICATE_EXPIRATION] > 48h}, plus Pulse's {@code [HEADERS].Name} and
 * {@code [CLOCK_SKEW]}. A condition is parsed once into an immutable
 * {@link dev.pulse.condition.Condition} (rejecting mistakes with a
 * {@link dev.pulse.condition.ConditionSyntaxException} that points at the offending
 * character) and then evaluated against each probe's
 * {@link dev.pulse.condition.Observation}, yielding a
 * {@link dev.pulse.condition.ConditionResult} whose output is what Gatus prints: the
 * condition when it holds, else the condition with the resolved values, such as
 * {@code [STATUS] (500) == 200}.
 * <p>
 * Values are read and printed with Go's rules, as Gatus reads them, including its
 * corners: {@code ==} compares integers in Go syntax ({@code 0x1F}, {@code 017}) or text,
 * the orderings compare durations, integers or truncated floats (anything else is 0), and
 * JSON numbers print as Go prints a float64 ({@code 1.234567e+06}).
 */
@NullMarked
package dev.pulse.condition;

import org.jspecify.annotations.NullMarked;
