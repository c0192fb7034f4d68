package dev.pulse.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import dev.pulse.support.FaultServer;
import dev.pulse.support.TestTransport;
import dev.pulse.target.RetryProperties;
import dev.pulse.target.Target;

import static dev.pulse.support.TestTargets.target;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retry within a cycle: backoff bounds in virtual time, attempt counts against a loopback
 * server that counts requests, and the limits (reasons, interval, budget).
 */
class RetryingProberTest {

	private static final RetryBudgetProperties GENEROUS = new RetryBudgetProperties(100, 1000);

	private static ProbeResult failed(FailureReason reason) {
		return new ProbeResult(Instant.now(), false, null, 1, Phases.NONE, false, false, null, 0, reason, "failed",
				List.of(), 1);
	}

	/** A prober that fails at once and notes the virtual time of each attempt. */
	private static Prober failingAt(List<Long> attemptTimes, FailureReason reason) {
		return target -> Mono.fromSupplier(() -> {
			attemptTimes.add(Schedulers.parallel().now(TimeUnit.MILLISECONDS));
			return failed(reason);
		});
	}

	private static Target failing(int attempts, double randomization) {
		return target("http://127.0.0.1:1/").interval(Duration.ofSeconds(30))
			.timeout(Duration.ofSeconds(1))
			.retry(new RetryProperties(attempts, Duration.ofMillis(200), 2.0, randomization, Duration.ofSeconds(2),
					null))
			.build();
	}

	@Test
	void backoffWithoutJitterShouldDoubleFromTheInitialBackoff() {
		List<Long> attempts = new CopyOnWriteArrayList<>();
		RetryingProber prober = new RetryingProber(failingAt(attempts, FailureReason.CONNECTION_REFUSED),
				new RetryBudget(GENEROUS));

		StepVerifier.withVirtualTime(() -> prober.probe(failing(4, 0)))
			.expectSubscription()
			.expectNoEvent(Duration.ofMillis(1399))
			.thenAwait(Duration.ofMillis(1))
			.assertNext(result -> {
				assertThat(result.attempts()).isEqualTo(4);
				assertThat(result.reason()).isEqualTo(FailureReason.CONNECTION_REFUSED);
			})
			.verifyComplete();

		long start = attempts.get(0);
		assertThat(attempts).map(t -> t - start).containsExactly(0L, 200L, 600L, 1400L);
	}

	@Test
	void jitteredBackoffShouldStayWithinItsRandomizationBounds() {
		for (int run = 0; run < 50; run++) {
			List<Long> attempts = new CopyOnWriteArrayList<>();
			RetryingProber prober = new RetryingProber(failingAt(attempts, FailureReason.TIMEOUT),
					new RetryBudget(GENEROUS));

			StepVerifier.withVirtualTime(() -> prober.probe(failing(3, 0.5)))
				.expectSubscription()
				.thenAwait(Duration.ofSeconds(5))
				.assertNext(result -> assertThat(result.attempts()).isEqualTo(3))
				.verifyComplete();

			assertThat(attempts.get(1) - attempts.get(0)).as("first wait, 200 ms +-50%").isBetween(100L, 300L);
			assertThat(attempts.get(2) - attempts.get(1)).as("second wait, 400 ms +-50%").isBetween(200L, 600L);
		}
	}

	@Test
	void backoffShouldNeverPassMaxBackoff() {
		List<Long> attempts = new CopyOnWriteArrayList<>();
		RetryingProber prober = new RetryingProber(failingAt(attempts, FailureReason.TIMEOUT),
				new RetryBudget(GENEROUS));
		Target target = target("http://127.0.0.1:1/").interval(Duration.ofSeconds(60))
			.timeout(Duration.ofSeconds(1))
			.retry(new RetryProperties(8, Duration.ofMillis(200), 3.0, 0.5, Duration.ofMillis(700), null))
			.build();

		StepVerifier.withVirtualTime(() -> prober.probe(target))
			.expectSubscription()
			.thenAwait(Duration.ofSeconds(10))
			.assertNext(result -> assertThat(result.attempts()).isEqualTo(8))
			.verifyComplete();

		for (int i = 1; i < attempts.size(); i++) {
			assertThat(attempts.get(i) - attempts.get(i - 1)).isLessThanOrEqualTo(700L);
		}
	}

	@Test
	void conditionFailuresShouldNotBeRetriedUnlessListed() {
		List<Long> attempts = new CopyOnWriteArrayList<>();
		RetryingProber prober = new RetryingProber(failingAt(attempts, FailureReason.CONDITION_FAILED),
				new RetryBudget(GENEROUS));

		ProbeResult result = prober.probe(failing(3, 0)).block(Duration.ofSeconds(5));

		assertThat(result.attempts()).isEqualTo(1);
		assertThat(attempts).hasSize(1);
	}

	@Test
	void retryThatCannotFitTheIntervalShouldNotHappen() {
		List<Long> attempts = new CopyOnWriteArrayList<>();
		RetryingProber prober = new RetryingProber(failingAt(attempts, FailureReason.TIMEOUT),
				new RetryBudget(GENEROUS));
		// 1 s interval: 1 s timeout plus any backoff cannot fit after the first attempt.
		Target tight = target("http://127.0.0.1:1/").interval(Duration.ofSeconds(1))
			.timeout(Duration.ofSeconds(1))
			.retry(new RetryProperties(3, null, null, null, null, null))
			.build();

		ProbeResult result = prober.probe(tight).block(Duration.ofSeconds(5));

		assertThat(result.attempts()).isEqualTo(1);
	}

	@Test
	void retriesBeyondTheBudgetShouldBeRefusedAndCounted() {
		List<Long> attempts = new CopyOnWriteArrayList<>();
		RetryBudget budget = new RetryBudget(new RetryBudgetProperties(0, 0));
		RetryingProber prober = new RetryingProber(failingAt(attempts, FailureReason.TIMEOUT), budget);

		ProbeResult result = prober.probe(failing(3, 0)).block(Duration.ofSeconds(5));

		assertThat(result.attempts()).isEqualTo(1);
		assertThat(budget.refused()).isEqualTo(1);
	}

	@Test
	void resetConnectionsShouldBeRetriedUpToMaxAttemptsAgainstARealServer() {
		try (ProbeHarness harness = new ProbeHarness(TestTransport.defaults());
				FaultServer server = FaultServer.start(FaultServer.resetAfterRequest())) {
			RetryingProber prober = new RetryingProber(harness.prober(), new RetryBudget(GENEROUS));
			Target target = target(server.url("/health")).interval(Duration.ofSeconds(10))
				.timeout(Duration.ofSeconds(1))
				.retry(new RetryProperties(3, Duration.ofMillis(10), 2.0, 0.0, Duration.ofMillis(100), null))
				.build();

			ProbeResult result = prober.probe(target).block(Duration.ofSeconds(10));

			assertThat(result.reason()).isEqualTo(FailureReason.CONNECTION_RESET);
			assertThat(result.attempts()).isEqualTo(3);
			assertThat(server.requestsServed()).isEqualTo(3);
		}
	}

	@Test
	void failingConditionsShouldCostOneRequestAgainstARealServer() {
		try (ProbeHarness harness = new ProbeHarness(TestTransport.defaults());
				FaultServer server = FaultServer.start(FaultServer.status(503))) {
			RetryingProber prober = new RetryingProber(harness.prober(), new RetryBudget(GENEROUS));
			Target target = target(server.url("/health")).retry(new RetryProperties(3, null, null, null, null, null))
				.build();

			ProbeResult result = prober.probe(target).block(Duration.ofSeconds(10));

			assertThat(result.reason()).isEqualTo(FailureReason.CONDITION_FAILED);
			assertThat(result.attempts()).isEqualTo(1);
			assertThat(server.requestsServed()).isEqualTo(1);
		}
	}

	@Test
	void listedConditionFailuresShouldBeRetriedAgainstARealServer() {
		try (ProbeHarness harness = new ProbeHarness(TestTransport.defaults());
				FaultServer server = FaultServer.start(FaultServer.status(503))) {
			RetryingProber prober = new RetryingProber(harness.prober(), new RetryBudget(GENEROUS));
			Target target = target(server.url("/health"))
				.retry(new RetryProperties(2, Duration.ofMillis(10), null, null, null, List.of("condition-failed")))
				.build();

			ProbeResult result = prober.probe(target).block(Duration.ofSeconds(10));

			assertThat(result.attempts()).isEqualTo(2);
			assertThat(server.requestsServed()).isEqualTo(2);
		}
	}

}
