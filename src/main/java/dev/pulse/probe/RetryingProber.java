package dev.pulse.probe;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import reactor.core.publisher.Mono;

import dev.pulse.target.RetryPolicy;
import dev.pulse.target.Target;

/**
 * Retries a failed probe within its cycle with Resilience4j: jittered exponential backoff
 * ({@link IntervalFunction#ofExponentialRandomBackoff}), only for the reasons the target
 * lists, only while the next attempt still fits in the interval (so a cycle never runs
 * into the next one), and only while the global {@link RetryBudget} allows.
 */
final class RetryingProber implements Prober, AutoCloseable {

	private final Prober delegate;

	private final RetryBudget budget;

	private final Map<String, Plan> plans = new ConcurrentHashMap<>();

	RetryingProber(Prober delegate, RetryBudget budget) {
		this.delegate = delegate;
		this.budget = budget;
	}

	@Override
	public void close() throws Exception {
		if (this.delegate instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

	@Override
	public Mono<ProbeResult> probe(Target target) {
		Plan plan = plan(target);
		if (plan.policy.maxAttempts() <= 1) {
			return Mono.defer(() -> {
				this.budget.recordFirstAttempt();
				return this.delegate.probe(target);
			});
		}
		return Mono.defer(() -> {
			Cycle cycle = new Cycle(System.nanoTime());
			RetryConfig config = RetryConfig.<ProbeResult>from(plan.config)
				.retryOnResult(result -> shouldRetry(target, plan, cycle, (ProbeResult) result))
				.build();
			return Mono.defer(() -> attempt(target, cycle))
				.transformDeferred(RetryOperator.of(Retry.of(target.name(), config)));
		});
	}

	private Mono<ProbeResult> attempt(Target target, Cycle cycle) {
		int attempt = ++cycle.attempts;
		if (attempt == 1) {
			this.budget.recordFirstAttempt();
		}
		return this.delegate.probe(target).map(result -> result.withAttempts(attempt));
	}

	/**
	 * Retry only a listed reason, only if the next attempt fits the interval, only within
	 * budget.
	 */
	private boolean shouldRetry(Target target, Plan plan, Cycle cycle, ProbeResult result) {
		if (result.reason() == null || !plan.retryOn.contains(result.reason())
				|| cycle.attempts >= plan.policy.maxAttempts()) {
			return false;
		}
		Duration elapsed = Duration.ofNanos(System.nanoTime() - cycle.startNanos);
		Duration worstNext = elapsed.plus(plan.policy.maxBackoffBefore(cycle.attempts)).plus(target.timeout());
		return worstNext.compareTo(target.interval()) <= 0 && this.budget.tryAcquireRetry();
	}

	/** The target's Resilience4j config, built once per target version. */
	private Plan plan(Target target) {
		Plan plan = this.plans.get(target.name());
		if (plan == null || plan.target != target) {
			plan = new Plan(target);
			this.plans.put(target.name(), plan);
		}
		return plan;
	}

	private static final class Plan {

		final Target target;

		final RetryPolicy policy;

		final Set<FailureReason> retryOn = EnumSet.noneOf(FailureReason.class);

		final RetryConfig config;

		Plan(Target target) {
			this.target = target;
			this.policy = target.retry();
			this.policy.retryOn().stream().map(FailureReason::fromValue).forEach(reason -> {
				if (reason != null) {
					this.retryOn.add(reason);
				}
			});
			IntervalFunction backoff = IntervalFunction.ofExponentialRandomBackoff(this.policy.initialBackoff(),
					this.policy.multiplier(), this.policy.randomizationFactor(), this.policy.maxBackoff());
			long maxMillis = this.policy.maxBackoff().toMillis();
			this.config = RetryConfig.<ProbeResult>custom()
				.maxAttempts(this.policy.maxAttempts())
				// Capped again after the jitter, so the bound used by shouldRetry always
				// holds.
				.intervalFunction(attempt -> Math.min(maxMillis, backoff.apply(attempt)))
				.failAfterMaxAttempts(false)
				.build();
		}

	}

	/** One probe cycle: when it started and how many attempts it made. */
	private static final class Cycle {

		final long startNanos;

		volatile int attempts;

		Cycle(long startNanos) {
			this.startNanos = startNanos;
		}

	}

}
