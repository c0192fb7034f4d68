package dev.pulse.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pulse.probe.ProbeResult;
import dev.pulse.probe.ResultHistory;
import dev.pulse.probe.ResultsProperties;
import dev.pulse.probe.TestProbers;
import dev.pulse.schedule.ProbeScheduler;
import dev.pulse.schedule.TransportWarmup;
import dev.pulse.support.FaultServer;
import dev.pulse.support.TestTransport;
import dev.pulse.target.PulseProperties;
import dev.pulse.target.TargetRegistry;
import dev.pulse.transport.ProbeTransport;

import static dev.pulse.support.TestTargets.target;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
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
			Duration.ofSeconds(8), Duration.ofSeconds(1), 0.5, 20, 0.3, 50, null));

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
		// Warm, as Pulse is before its first round: a cold first probe can miss the 150
		// ms
		// deadline and start the target DOWN, which is not what this test is about.
		TransportWarmup.warmUp(TestProbers.http(this.transport), this.transport.eventLoops(),
				java.net.URI.create(server.url("/warm")));
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
		// The outage's first failure: the one after the last success.
		int firstFailure = results.size();
		while (firstFailure > 0 && !results.get(firstFailure - 1).success()) {
			firstFailure--;
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

	/**
	 * Recovery after a long outage takes at most healthy-threshold x interval + one
	 * interval: the down target is still probed every interval (the default
	 * unhealthy-interval), its first success moves it to the transition interval, and the
	 * outage's failures no longer hold it DEGRADED. Before, back-off had spaced its
	 * probes up to max-unhealthy-interval (8 s here) apart.
	 */
	@Test
	void aTargetBackAfterALongOutageShouldBeHealthyWithinTheRiseThresholdTimesTheIntervalPlusOne() {
		WireMockServer wireMock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		wireMock.start();
		try {
			wireMock.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
			TargetRegistry registry = new TargetRegistry(new PulseProperties(
					new PulseProperties.Defaults(Duration.ofSeconds(10), Duration.ofSeconds(5), null, List.of(), null),
					Map.of()));
			this.scheduler = new ProbeScheduler(registry, TestProbers.http(this.transport),
					List.of(this.history, this.health), this.health, this.transport);
			this.scheduler.start();
			Duration interval = Duration.ofMillis(500);
			this.scheduler.schedule(target("http://127.0.0.1:" + wireMock.port() + "/health").name("api")
				.interval(interval)
				.timeout(Duration.ofMillis(300))
				.build());
			await().atMost(Duration.ofSeconds(5)).until(() -> this.health.health("api").state() == HealthState.HEALTHY);

			wireMock.stubFor(get("/health").willReturn(aResponse().withStatus(503)));
			await().atMost(Duration.ofSeconds(5))
				.until(() -> this.health.health("api").state() == HealthState.UNHEALTHY);
			// Down for 12 intervals: the old back-off would have grown to 8 s by now.
			await().atMost(Duration.ofSeconds(10)).until(() -> this.health.health("api").consecutiveFailures() >= 12);

			wireMock.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
			long back = System.nanoTime();
			// The bound: 2 x 500 ms + 500 ms, plus a second for a shared CPU and the
			// wheel's tick.
			await().atMost(interval.multipliedBy(3).plusSeconds(1))
				.pollInterval(Duration.ofMillis(20))
				.until(() -> this.health.health("api").state() == HealthState.HEALTHY);
			System.out.println("Recovered in " + (System.nanoTime() - back) / 1_000_000 + " ms");
			assertThat(this.health.health("api").errorRate()).as("the outage is forgotten").isZero();
		}
		finally {
			wireMock.stop();
		}
	}

	private static long gap(Instant[] at, int from, int to) {
		return Duration.between(at[from], at[to]).toMillis();
	}

}
