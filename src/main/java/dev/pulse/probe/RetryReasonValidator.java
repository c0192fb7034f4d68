package dev.pulse.probe;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.pulse.target.InvalidTargetException;
import dev.pulse.target.Target;
import dev.pulse.target.TargetValidator;

/** Checks that every {@code retry-on} value of a target names a {@link FailureReason}. */
@Component
class RetryReasonValidator implements TargetValidator {

	@Override
	public List<InvalidTargetException.Violation> validate(Target target, String keyPrefix) {
		return target.retry()
			.retryOn()
			.stream()
			.filter(value -> FailureReason.fromValue(value) == null)
			.map(value -> new InvalidTargetException.Violation(keyPrefix + "retry.retry-on",
					"'" + value + "' is not a failure reason; use one of " + values()))
			.toList();
	}

	private static String values() {
		return String.join(", ", java.util.Arrays.stream(FailureReason.values()).map(FailureReason::value).toList());
	}

}
