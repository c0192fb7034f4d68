package dev.pulse.bench;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.pulse.health.HealthTracker;
import dev.pulse.metrics.MetricsRecorder;
import dev.pulse.metrics.SocketTable;
import dev.pulse.probe.ProbeResult;
import dev.pulse.routing.Router;
import dev.pulse.support.TestTargets;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;

import static dev.pulse.support.TestTargets.target;

/**
 * Recording one result into the target's meters (probe duration, phases, probe counter,
 * host counters), as {@link MetricsRecorder} does on the event loop for every result;
 * Prometheus is the registry Pulse ships with, the simple registry a baseline.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MetricsBenchmark {

	@Param({ "prometheus", "simple" })
	public String registry;

	private MetricsRecorder recorder;

	private Target target;

	private ProbeResult result;

	@Setup
	public void registerTarget() {
		MeterRegistry meters = "prometheus".equals(this.registry)
				? new PrometheusMeterRegistry(PrometheusConfig.DEFAULT) : new SimpleMeterRegistry();
		TargetRegistry targets = TestTargets
			.registry(target("http://10.0.0.1:8080/actuator/health").name("checkout-1").service("checkout"));
		HealthTracker health = new HealthTracker(Fixtures.healthDefaults());
		this.recorder = new MetricsRecorder(meters, targets, health,
				new Router(targets, health, Fixtures.routingDefaults()), new SocketTable());
		this.target = targets.find("checkout-1").orElseThrow();
		this.result = Fixtures.success(Instant.parse("2026-11-25T10:00:00Z"), 14);
	}

	@Benchmark
	public void recordResult() {
		this.recorder.onResult(this.target, this.result);
	}

}
