package dev.pulse.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.pulse.health.HealthState;
import dev.pulse.health.HealthTracker;
import dev.pulse.probe.ProbeResult;
import dev.pulse.probe.ResultHistory;
import dev.pulse.probe.ResultsProperties;
import dev.pulse.routing.Router;
import dev.pulse.routing.TargetScore;
import dev.pulse.support.TestTargets;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;

import static dev.pulse.support.TestTargets.target;

/**
 * What happens to a result after the probe, and what a score costs: the health record and
 * the history take every result on an event loop; a score is recomputed from the health
 * on demand (a pick, an API read, a scrape of the score gauges), for the whole service of
 * the target. A steady healthy target of a three-target service, with the default
 * properties, outside its slow-start ramp.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HealthBenchmark {

	private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");

	private HealthTracker health;

	private Router router;

	private ResultHistory history;

	private Target target;

	private ProbeResult result;

	@Setup
	public void warmUpTargets() {
		TargetRegistry registry = TestTargets.registry(
				target("http://10.0.0.1:8080/actuator/health").name("checkout-1").service("checkout"),
				target("http://10.0.0.2:8080/actuator/health").name("checkout-2").service("checkout"),
				target("http://10.0.0.3:8080/actuator/health").name("checkout-3").service("checkout"));
		this.health = new HealthTracker(Fixtures.healthDefaults(), Clock.fixed(START, ZoneOffset.UTC));
		// Five minutes later: past the 30 s slow-start ramp, the steady state
		this.router = new Router(registry, this.health, Fixtures.routingDefaults(),
				Clock.fixed(START.plus(Duration.ofMinutes(5)), ZoneOffset.UTC));
		this.history = new ResultHistory(new ResultsProperties(100));
		double latency = 12;
		for (Target each : registry.all()) {
			// A full window of results, so the error rate and EWMA are settled
			for (int i = 0; i < 20; i++) {
				this.health.onResult(each, Fixtures.success(START, latency));
				this.history.onResult(each, Fixtures.success(START, latency));
			}
			latency += 3;
		}
		this.target = registry.find("checkout-2").orElseThrow();
		this.result = Fixtures.success(START, 14);
		if (this.health.health(this.target.name()).state() != HealthState.HEALTHY) {
			throw new IllegalStateException("fixture target is not healthy");
		}
	}

	/** One result into the target's health record (counters, EWMA, window, state). */
	@Benchmark
	public void recordHealth() {
		this.health.onResult(this.target, this.result);
	}

	/** One result into the target's ring of recent results. */
	@Benchmark
	public void recordHistory() {
		this.history.onResult(this.target, this.result);
	}

	/** The target's score, computed with its service's other two targets. */
	@Benchmark
	public Optional<TargetScore> scoreTarget() {
		return this.router.score(this.target);
	}

}
