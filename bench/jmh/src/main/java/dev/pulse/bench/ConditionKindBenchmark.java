package dev.pulse.bench;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

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

import dev.pulse.condition.Condition;
import dev.pulse.condition.ConditionResult;
import dev.pulse.condition.Observation;

/**
 * Each kind of condition alone, on the 4 KB body already decoded: which placeholders and
 * functions cost what once the body is a tree. The names are keys of
 * {@link Fixtures#CONDITIONS}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConditionKindBenchmark {

	@Param({ "status", "responseTime", "bodyField", "nestedField", "len", "has", "pat", "any" })
	public String kind;

	private Condition condition;

	private Observation observation;

	@Setup
	public void parse() {
		this.condition = Condition.parse(Fixtures.CONDITIONS.get(this.kind));
		this.observation = new Fixtures.ProbeObservation(200, Duration.ofMillis(42), Fixtures.HEALTH_BODY);
		ConditionResult result = this.condition.evaluate(this.observation);
		if (!result.success()) {
			throw new IllegalStateException("fixture condition failed: " + result.output());
		}
	}

	@Benchmark
	public ConditionResult evaluate() {
		return this.condition.evaluate(this.observation);
	}

}
