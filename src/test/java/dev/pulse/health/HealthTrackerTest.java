package dev.pulse.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pulse.probe.FailureReason;
import dev.pulse.probe.Phases;
import dev.pulse.probe.ProbeResult;
import dev.pulse.target.Target;

import static dev.pulse.support.TestTargets.target;
import static org.assertj.core.api.Assertions.assertThat;

class HealthTrackerTest {

	private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

	private final HealthProperties properties = new HealthProperties(2, 3, Duration.ofSeconds(1),
			Duration.ofSeconds(60), Duration.ofMillis(500), 0.2, 10, 0.5, 5, null);

	/** Tolerant of errors, so recoveries are healthy rather than degraded. */
	private final HealthProperties tolerant = new HealthProperties(2, 3, Duration.ofSeconds(1), Duration.ofSeconds(60),
			Duration.ofMillis(500), 1.0, 10, 0.5, 5, null);

	private HealthTracker tracker = new HealthTracker(this.properties, Clock.fixed(NOW, ZoneOffset.UTC));

	private final Target target = target("http://127.0.0.1:1/").name("api").interval(Duration.ofSeconds(10)).build();

	private static ProbeResult ok(double millis) {
		return new ProbeResult(NOW, true, 200, millis, Phases.NONE, true, false, "127.0.0.1", 2, null, null, List.of(),
				1);
	}

	private static ProbeResult failed() {
		return new ProbeResult(NOW, false, null, 5000, Phases.NONE, false, false, null, 0, FailureReason.TIMEOUT,
				"timed out after 5000 ms waiting for the response headers", List.of(), 1);
	}

	/** Back-off up to max-unhealthy-interval, as with unhealthy-interval: 60s. */
	private static HealthTracker backingOff() {
		return new HealthTracker(new HealthProperties(2, 3, Duration.ofSeconds(1), Duration.ofSeconds(60),
				Duration.ofMillis(500), 0.2, 10, 0.5, 5, Duration.ofSeconds(60)), Clock.fixed(NOW, ZoneOffset.UTC));
	}

	private void feed(ProbeResult... results) {
		for (ProbeResult result : results) {
			this.tracker.onResult(this.target, result);
		}
	}

	@Test
	void targetWithoutResultsShouldBeUnknownOnItsOwnInterval() {
		assertThat(this.tracker.health("api")).isEqualTo(TargetHealth.UNKNOWN);
		assertThat(this.tracker.nextDelay(this.target)).isNull();
	}

	@Test
	void firstResultShouldDecideAsEnvoyDoes() {
		feed(ok(10));

		TargetHealth health = this.tracker.health("api");
		assertThat(health.state()).isEqualTo(HealthState.HEALTHY);
		assertThat(health.upSince()).isEqualTo(NOW);
		assertThat(health.changes()).singleElement()
			.isEqualTo(new StateChange(NOW, HealthState.UNKNOWN, HealthState.HEALTHY, "first result: success"));
	}

	@Test
	void healthyTargetShouldBecomeUnhealthyOnlyAfterTheFallThreshold() {
		feed(ok(10), failed(), failed());

		assertThat(this.tracker.health("api").state()).isEqualTo(HealthState.HEALTHY);
		assertThat(this.tracker.nextDelay(this.target)).as("changing: transition interval")
			.isEqualTo(Duration.ofSeconds(2));

		feed(failed());

		TargetHealth health = this.tracker.health("api");
		assertThat(health.state()).isEqualTo(HealthState.UNHEALTHY);
		assertThat(health.consecutiveFailures()).isEqualTo(3);
		assertThat(health.upSince()).isNull();
		assertThat(health.changes().get(0).reason()).isEqualTo(
				"3 consecutive failures, last: timeout (timed out after 5000 ms waiting for the response headers)");
	}

	@Test
	void unhealthyTargetShouldRiseOnlyAfterTheRiseThreshold() {
		this.tracker = new HealthTracker(this.tolerant, Clock.fixed(NOW, ZoneOffset.UTC));
		feed(failed(), ok(10));

		assertThat(this.tracker.health("api").state()).isEqualTo(HealthState.UNHEALTHY);
		assertThat(this.tracker.nextDelay(this.target)).as("changing: transition interval")
			.isEqualTo(Duration.ofSeconds(2));

		feed(ok(10));

		assertThat(this.tracker.health("api").state()).isEqualTo(HealthState.HEALTHY);
		assertThat(this.tracker.health("api").changes().get(0).reason()).isEqualTo("2 consecutive successes");
		assertThat(this.tracker.nextDelay(this.target)).as("settled: own interval").isNull();
	}

	@Test
	void aTargetBackFromAnOutageShouldRiseHealthyWithTheOutageForgotten() {
		for (int i = 0; i < 8; i++) {
			feed(failed());
		}
		feed(ok(10), ok(10));

		TargetHealth health = this.tracker.health("api");
		assertThat(health.state()).as("not DEGRADED by the outage's failures in the window")
			.isEqualTo(HealthState.HEALTHY);
		assertThat(health.errorRate()).isZero();
		assertThat(health.results()).isEqualTo(2);
		assertThat(health.changes().get(0).reason()).isEqualTo("2 consecutive successes");
		// Failures after the recovery count again.
		feed(failed());
		assertThat(this.tracker.health("api").errorRate()).isEqualTo(1.0 / 3);
	}

	@Test
	void withDefaultsADownTargetShouldBeProbedEveryIntervalHoweverLongItIsDown() {
		for (int i = 0; i < 30; i++) {
			feed(failed());
			Duration delay = this.tracker.nextDelay(this.target);
			if (this.tracker.health("api").state() == HealthState.UNHEALTHY
					&& this.tracker.health("api").consecutiveFailures() > 3) {
				assertThat(delay).as("after %d failures", i + 1).isEqualTo(this.target.interval());
			}
		}
	}

	@Test
	void recoveryShouldTakeAtMostTheRiseThresholdTimesTheIntervalPlusOneInterval() {
		// A long outage, then the server answers again: count the time to HEALTHY by the
		// delays the policy asks for, from the first probe after the server came back.
		for (int i = 0; i < 30; i++) {
			feed(failed());
		}
		Duration elapsed = this.tracker.nextDelay(this.target);
		while (this.tracker.health("api").state() != HealthState.HEALTHY) {
			feed(ok(10));
			if (this.tracker.health("api").state() != HealthState.HEALTHY) {
				Duration next = this.tracker.nextDelay(this.target);
				elapsed = elapsed.plus((next != null) ? next : this.target.interval());
			}
		}
		Duration bound = this.target.interval().multipliedBy(this.properties.healthyThreshold() + 1);
		assertThat(elapsed).isLessThanOrEqualTo(bound);
	}

	@Test
	void anUnhealthyIntervalShouldCapTheBackOff() {
		this.tracker = new HealthTracker(new HealthProperties(2, 3, Duration.ofSeconds(1), Duration.ofSeconds(60),
				Duration.ofMillis(500), 0.2, 10, 0.5, 5, Duration.ofSeconds(25)), Clock.fixed(NOW, ZoneOffset.UTC));
		for (int failures = 1; failures < 40; failures++) {
			for (int draw = 0; draw < 20; draw++) {
				assertThat(this.tracker.unhealthyDelay(Duration.ofSeconds(10), failures))
					.isBetween(Duration.ofSeconds(10), Duration.ofSeconds(25));
			}
		}
		assertThat(this.tracker.unhealthyDelay(Duration.ofSeconds(30), 3))
			.as("shorter than the interval: a down target probed more often")
			.isEqualTo(Duration.ofSeconds(25));
	}

	@Test
	void slowTargetShouldBeDegradedAndRecoverWhenFastAgain() {
		feed(ok(100), ok(2000));

		TargetHealth degraded = this.tracker.health("api");
		assertThat(degraded.state()).isEqualTo(HealthState.DEGRADED);
		assertThat(degraded.latencyEwmaMs()).isEqualTo(1050.0);
		assertThat(degraded.changes().get(0).reason()).isEqualTo("latency EWMA 1050 ms above degraded-latency 500 ms");

		feed(ok(10), ok(10), ok(10));

		assertThat(this.tracker.health("api").state()).isEqualTo(HealthState.HEALTHY);
	}

	@Test
	void frequentFailuresBelowTheThresholdShouldDegrade() {
		feed(ok(10), failed(), ok(10), failed(), ok(10));

		TargetHealth health = this.tracker.health("api");
		assertThat(health.errorRate()).isEqualTo(0.4);
		assertThat(health.results()).isEqualTo(5);
		assertThat(health.state()).isEqualTo(HealthState.DEGRADED);
		// It degraded at the third result, when one failure in three passed the bound.
		assertThat(health.changes().get(0).reason()).isEqualTo("error rate 33% above degraded-error-rate 20%");
	}

	@Test
	void errorRateShouldOnlyCountTheWindow() {
		feed(failed(), failed(), failed());
		for (int i = 0; i < 10; i++) {
			feed(ok(10));
		}

		assertThat(this.tracker.health("api").errorRate()).isZero();
		assertThat(this.tracker.health("api").results()).isEqualTo(10);
	}

	@Test
	void latencyOfFailuresWithoutResponseShouldNotCount() {
		feed(ok(100), failed());

		assertThat(this.tracker.health("api").latencyEwmaMs()).isEqualTo(100.0);
	}

	@Test
	void unhealthyTargetShouldBackOffExponentiallyWithinBounds() {
		this.tracker = backingOff();
		feed(failed());
		Duration first = this.tracker.nextDelay(this.target);
		feed(failed(), failed(), failed(), failed(), failed(), failed(), failed());
		Duration later = this.tracker.nextDelay(this.target);

		// first: 10 s x 2, randomized by half; later: capped at max-unhealthy-interval
		assertThat(first).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(30));
		assertThat(later).isEqualTo(Duration.ofSeconds(60));
	}

	@Test
	void backOffShouldStayWithinIntervalAndCapForEveryFailureCount() {
		this.tracker = backingOff();
		for (int failures = 1; failures < 40; failures++) {
			for (int draw = 0; draw < 20; draw++) {
				assertThat(this.tracker.unhealthyDelay(Duration.ofSeconds(10), failures))
					.isBetween(Duration.ofSeconds(10), Duration.ofSeconds(60));
			}
		}
		assertThat(this.tracker.unhealthyDelay(Duration.ofSeconds(90), 3))
			.as("an unhealthy interval below the interval is used as it is, as in Envoy")
			.isEqualTo(Duration.ofSeconds(60));
	}

	@Test
	void historyShouldKeepOnlyTheNewestChanges() {
		this.tracker = new HealthTracker(this.tolerant, Clock.fixed(NOW, ZoneOffset.UTC));
		for (int i = 0; i < 10; i++) {
			feed(failed(), failed(), failed(), ok(10), ok(10));
		}

		List<StateChange> changes = this.tracker.health("api").changes();
		assertThat(changes).hasSize(5);
		assertThat(changes).extracting(StateChange::to)
			.containsExactly(HealthState.HEALTHY, HealthState.UNHEALTHY, HealthState.HEALTHY, HealthState.UNHEALTHY,
					HealthState.HEALTHY);
	}

	@Test
	void removedTargetShouldBeForgotten() {
		feed(ok(10));

		this.tracker.onRemoved("api");

		assertThat(this.tracker.health("api")).isEqualTo(TargetHealth.UNKNOWN);
	}

}
