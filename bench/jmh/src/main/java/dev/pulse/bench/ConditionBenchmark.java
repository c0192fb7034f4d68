package dev.pulse.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

import dev.pulse.condition.Condition;
import dev.pulse.condition.ConditionResult;
import dev.pulse.condition.Observation;

/**
 * A probe's conditions against a 4 KB JSON body. Conditions are parsed once, when a
 * target is loaded, and evaluated on every probe against a body freshly read into a new
 * array; the first condition that needs the body decodes it and the others reuse that
 * tree (the body is remembered by identity), so a fresh array per invocation is what a
 * probe really pays, and a reused one isolates the conditions from the decoding.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConditionBenchmark {

	private static final Duration RESPONSE_TIME = Duration.ofMillis(42);

	private List<String> texts;

	private List<Condition> conditions;

	private Condition bodyField;

	private Observation decoded;

	@Setup
	public void parse() {
		this.texts = Fixtures.CONDITION_ORDER.stream().map(Fixtures.CONDITIONS::get).toList();
		this.conditions = this.texts.stream().map(Condition::parse).toList();
		this.bodyField = Condition.parse(Fixtures.CONDITIONS.get("bodyField"));
		this.decoded = new Fixtures.ProbeObservation(200, RESPONSE_TIME, Fixtures.HEALTH_BODY);
		// Measure the path a healthy target takes, not the explanation of a failure
		for (ConditionResult result : evaluateAll(this.conditions, this.decoded)) {
			if (!result.success()) {
				throw new IllegalStateException("fixture condition failed: " + result.output());
			}
		}
	}

	/** Every condition of a probe on the body it just read: the per-probe cost. */
	@Benchmark
	public List<ConditionResult> probeFreshBody() {
		return evaluateAll(this.conditions, freshObservation());
	}

	/** The same conditions on a body already decoded: what the conditions cost alone. */
	@Benchmark
	public List<ConditionResult> probeDecodedBody() {
		return evaluateAll(this.conditions, this.decoded);
	}

	/** One body condition on a fresh body: mostly decoding the 4 KB document. */
	@Benchmark
	public ConditionResult decodeAndOneLookup() {
		return this.bodyField.evaluate(freshObservation());
	}

	/** Copying the 4 KB body, part of the two fresh-body numbers above: a baseline. */
	@Benchmark
	public byte[] copyBody() {
		return Fixtures.HEALTH_BODY.clone();
	}

	/** Parsing the eight conditions: paid once per target load, never per probe. */
	@Benchmark
	public List<Condition> parseAll() {
		List<Condition> parsed = new ArrayList<>(this.texts.size());
		for (String text : this.texts) {
			parsed.add(Condition.parse(text));
		}
		return parsed;
	}

	private static Observation freshObservation() {
		return new Fixtures.ProbeObservation(200, RESPONSE_TIME, Fixtures.HEALTH_BODY.clone());
	}

	/** As the prober does: every condition, in order, collecting the verdicts. */
	private static List<ConditionResult> evaluateAll(List<Condition> conditions, Observation observation) {
		List<ConditionResult> verdicts = new ArrayList<>(conditions.size());
		for (Condition condition : conditions) {
			verdicts.add(condition.evaluate(observation));
		}
		return verdicts;
	}

}
