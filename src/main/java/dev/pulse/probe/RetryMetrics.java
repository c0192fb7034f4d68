package dev.pulse.probe;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * Publishes the retry budget's counts: {@code pulse_probe_retries_total} (retries
 * granted) and {@code pulse_probe_retries_refused_total} (retries the budget refused),
 * read from the budget when scraped, so counting costs the probe path nothing extra.
 */
@Component
class RetryMetrics implements MeterBinder {

	private final RetryBudget budget;

	RetryMetrics(RetryBudget budget) {
		this.budget = budget;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("pulse.probe.retries", this.budget, RetryBudget::granted)
			.description("Retries granted by the global retry budget")
			.register(registry);
		FunctionCounter.builder("pulse.probe.retries.refused", this.budget, RetryBudget::refused)
			.description("Retries refused by the global retry budget (pulse.retry.budget-percent)")
			.register(registry);
	}

}
