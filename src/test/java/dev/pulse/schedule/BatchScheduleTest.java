package dev.pulse.schedule;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.pulse.probe.FailureReason;
import dev.pulse.probe.ProbeResult;
import dev.pulse.probe.Prober;
import dev.pulse.probe.ResultHistory;
import dev.pulse.probe.ResultsProperties;
import dev.pulse.probe.TestProbers;
import dev.pulse.support.FaultServer;
import dev.pulse.support.TestTransport;
import dev.pulse.target.PulseProperties;
import dev.pulse.target.TargetRegistry;
import dev.pulse.transport.ProbeTransport;

import static dev.pulse.support.TestTargets.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A batch of targets registered at once at run time (an import, a replica taking over
 * partitions) must not become a burst that Pulse charges to its targets: 200 targets on
 * one host that answers in 50 ms, 8 connections, a 500 ms deadline. Probed all at once
 * they queue for 1.25 s in the pool and time out; spread over their interval by phase
 * they need 5 connections and none fails. (The 10,000-target version is bench/batch.sh.)
 */
class BatchScheduleTest {

	private static final int TARGETS = 200;

	private static final Duration INTERVAL = Duration.ofSeconds(2);

	private final ProbeTransport transport = TestTransport.defaults().build();

	private final ResultHistory history = new ResultHistory(new ResultsProperties(100));

	private final FaultServer server = FaultServer.start(FaultServer.slow(Duration.ofMillis(50)));

	private ProbeScheduler scheduler;

	@AfterEach
	void stop() {
		if (this.scheduler != null) {
			this.scheduler.stop();
		}
		this.transport.close(Duration.ofSeconds(5));
		this.server.close();
	}

	private int countLoops() {
		int loops = 0;
		for (var loop : this.transport.eventLoops()) {
			loops++;
		}
		return loops;
	}

	@Test
	void aBatchAddedAtRunTimeShouldSpreadOverItsIntervalWithoutTimeoutsOrPoolExhaustion() {
		TargetRegistry registry = new TargetRegistry(new PulseProperties(
				new PulseProperties.Defaults(Duration.ofSeconds(10), Duration.ofSeconds(5), null, List.of(), null),
				Map.of()));
		Prober prober = TestProbers.http(this.transport);
		this.scheduler = new ProbeScheduler(registry, prober, List.of(this.history), IntervalPolicy.FIXED,
				this.transport);
		// A warm Pulse, as after its start-up warm-up: this test is about the batch.
		assertThat(TransportWarmup.warmUp(prober, this.transport.eventLoops(), URI.create(this.server.url("/warm"))))
			.as("warm-up probes that succeeded, one per event loop")
			.isEqualTo(countLoops());
		this.scheduler.start();

		for (int i = 0; i < TARGETS; i++) {
			registry.put(target(this.server.url("/health/" + i)).name("batch-" + i)
				.interval(INTERVAL)
				.timeout(Duration.ofMillis(500))
				.retry(new dev.pulse.target.RetryProperties(1, null, null, null, null, null))
				.build());
		}
		// Two intervals: every target's first result, and the second round on top.
		await().atMost(INTERVAL.multipliedBy(3))
			.until(() -> registry.all()
				.stream()
				.allMatch(target -> this.history.recent(target.name(), 10).size() >= 2));

		List<ProbeResult> results = registry.all()
			.stream()
			.flatMap(target -> this.history.recent(target.name(), 100).stream())
			.toList();
		assertThat(results).hasSizeGreaterThanOrEqualTo(2 * TARGETS);
		assertThat(results.stream().map(ProbeResult::reason).filter(Objects::nonNull))
			.as("no result of the batch's first two rounds failed for Pulse's own burst: %s",
					results.stream()
						.filter(result -> !result.success())
						.limit(5)
						.map(result -> result.reason() + " " + result.error() + " " + result.phases())
						.toList())
			.doesNotContain(FailureReason.TIMEOUT, FailureReason.POOL_EXHAUSTED)
			.isEmpty();
	}

}
