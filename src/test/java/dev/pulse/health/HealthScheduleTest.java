package dev.pulse.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pulse.probe.ProbeResult;
import dev.pulse.probe.ResultHistory;
import dev.pulse.probe.ResultsProperties;
import dev.pulse.probe.TestProbers;
import dev.pulse.schedule.ProbeScheduler;
import dev.pulse.support.FaultServer;
import dev.pulse.support.TestTransport;
import dev.pulse.target.PulseProperties;
import dev.pulse.target.TargetRegistry;
import dev.pulse.transport.ProbeTransport;

import static dev.pulse.support.TestTargets.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduler driven by health: faster while a target changes state, backing off while
 * it is down.
 */
class HealthScheduleTest {

	private final ProbeTransport transport = TestTransport.defaults().build();

	private final ResultHistory history = new ResultHistory(new ResultsProperties(100));

	private final HealthTracker health = new HealthTracker(new HealthProperties(2, 3, Duration.ofMillis(200),
			Duration.ofSeconds(8), Duration.ofSeconds(1), 0.5, 20, 0.3, 50));

	private ProbeScheduler scheduler;

	@AfterEach
	void stop() {
		if (this.scheduler != null) {
			this.scheduler.stop();
		}
		this.transport.close(Duration.ofSeconds(5));
	}

	@Test
	void failingTargetShouldBeProbedAtTheTransitionIntervalThenBackOff() {
		FaultServer server = FaultServer.start(FaultServer.healthy());
		TargetRegistry registry = new TargetRegistry(new PulseProperties(
				new PulseProperties.Defaults(Duration.ofSeconds(10), Duration.ofSeconds(5), null, List.of(), null),
				Map.of()));
		this.scheduler = new ProbeScheduler(registry, TestProbers.http(this.transport),
				List.of(this.history, this.health), this.health, this.transport);
		this.scheduler.start();
		this.scheduler.schedule(target(server.url("/health")).name("api")
			.interval(Duration.ofSeconds(2))
			.timeout(Duration.ofMillis(150))
			.build());
		await().atMost(Duration.ofSeconds(5)).until(() -> this.health.health("api").state() == HealthState.HEALTHY);

		server.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.health.health("api").state() == HealthState.UNHEALTHY);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> this.history.recent("api", 100).stream().filter(r -> !r.success()).count() >= 4);

		List<ProbeResult> results = new ArrayList<>(this.history.recent("api", 100));
		Collections.reverse(results);
		int firstFailure = 0;
		while (results.get(firstFailure).success()) {
			firstFailure++;
		}
		Instant[] at = results.stream().map(ProbeResult::timestamp).toArray(Instant[]::new);
		// Failures 1 -> 2 -> 3 while it changes state: the 200 ms transition interval
		// (plus the
		// 150 ms timeout at most and one tick), far below the 2 s interval.
		assertThat(gap(at, firstFailure, firstFailure + 1)).isBetween(150L, 600L);
		assertThat(gap(at, firstFailure + 1, firstFailure + 2)).isBetween(150L, 600L);
		// Down: backing off from 2 x interval, randomized by half, so at least the
		// interval.
		assertThat(gap(at, firstFailure + 2, firstFailure + 3)).isGreaterThanOrEqualTo(1900L);
	}

	private static long gap(Instant[] at, int from, int to) {
		return Duration.between(at[from], at[to]).toMillis();
	}

}
