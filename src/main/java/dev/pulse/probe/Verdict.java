package dev.pulse.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import dev.pulse.condition.Condition;
import dev.pulse.condition.ConditionResult;
import dev.pulse.condition.Observation;
import dev.pulse.target.Target;

/**
 * What every prober decides at the end of a probe, alike for each kind: each condition's
 * verdict, and the failure reason and message (the transport's failure first, else the
 * first failed condition).
 *
 * @param conditions each condition with its verdict
 * @param reason why the probe failed; null on success
 * @param error a short message; null on success
 */
record Verdict(List<ConditionResult> conditions, @Nullable FailureReason reason, @Nullable String error) {

	/**
	 * Judge a probe.
	 * @param target the target probed
	 * @param observation what the probe saw
	 * @param failure the exchange's failure, or null
	 * @param stalledPhase what was in progress when the deadline passed, such as
	 * {@code connecting}
	 */
	static Verdict of(Target target, Observation observation, @Nullable Throwable failure, String stalledPhase) {
		List<ConditionResult> verdicts = new ArrayList<>(target.conditions().size());
		ConditionResult firstFailed = null;
		for (Condition condition : target.conditions()) {
			ConditionResult verdict = condition.evaluate(observation);
			verdicts.add(verdict);
			if (!verdict.success() && firstFailed == null) {
				firstFailed = verdict;
			}
		}
		if (failure != null) {
			FailureReason reason = FailureClassifier.classify(failure);
			String error = (failure instanceof TimeoutException && reason == FailureReason.TIMEOUT)
					? "timed out after " + target.timeout().toMillis() + " ms " + stalledPhase
					: FailureClassifier.describe(failure);
			return new Verdict(verdicts, reason, error);
		}
		if (firstFailed != null) {
			return new Verdict(verdicts, FailureReason.CONDITION_FAILED, "condition failed: " + firstFailed.output());
		}
		return new Verdict(verdicts, null, null);
	}

}
