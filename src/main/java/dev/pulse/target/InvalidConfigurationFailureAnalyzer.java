package dev.pulse.target;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Prints the whole list {@link ConfigurationCheck} found, in the same form as
 * {@link InvalidTargetFailureAnalyzer} and {@link InvalidPropertyFailureAnalyzer}.
 */
class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
		return new FailureAnalysis(InvalidTargetFailureAnalyzer.describe(cause.violations()),
				InvalidTargetFailureAnalyzer.ACTION, cause);
	}

}
