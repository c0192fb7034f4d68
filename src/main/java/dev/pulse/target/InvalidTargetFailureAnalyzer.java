package dev.pulse.target;

import java.util.List;
import java.util.stream.Collectors;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Prints every invalid target key with its rule, instead of a stack trace, when start-up
 * fails.
 */
class InvalidTargetFailureAnalyzer extends AbstractFailureAnalyzer<InvalidTargetException> {

	static final String ACTION = "Correct the keys above; every pulse.* key and its rule is listed in README.md.";

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidTargetException cause) {
		return new FailureAnalysis(describe(cause.violations()), ACTION, cause);
	}

	static String describe(List<InvalidTargetException.Violation> violations) {
		return violations.stream()
			.map(v -> "    " + v)
			.collect(Collectors.joining("\n", "Invalid Pulse configuration:\n", ""));
	}

}
