package dev.pulse.probe;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import dev.pulse.condition.ConditionResult;

import static org.assertj.core.api.Assertions.assertThat;

/** The compact ring gives back exactly the results it was given, newest first. */
class ResultRingProperties {

	@Property
	void shouldGiveBackTheNewestResultsExactly(@ForAll("histories") List<ProbeResult> results,
			@ForAll @IntRange(min = 1, max = 16) int capacity, @ForAll @IntRange(min = 0, max = 50) int limit) {
		ResultRing ring = new ResultRing(capacity);
		results.forEach(ring::add);

		List<ProbeResult> expected = new ArrayList<>();
		for (int i = results.size() - 1; i >= 0 && expected.size() < Math.min(capacity, limit); i--) {
			expected.add(results.get(i));
		}
		assertThat(ring.newest(limit)).containsExactlyElementsOf(expected);
		assertThat(ring.latest()).isEqualTo(results.isEmpty() ? null : results.get(results.size() - 1));
	}

	@Property
	void shouldShareTheDetailOfEqualNeighbours(@ForAll("results") ProbeResult result) {
		ResultRing ring = new ResultRing(4);
		ring.add(result);
		ring.add(copy(result));

		List<ProbeResult> held = ring.newest(2);
		assertThat(held.get(0).conditions()).isSameAs(held.get(1).conditions());
	}

	@Provide
	Arbitrary<List<ProbeResult>> histories() {
		return results().list().ofMaxSize(40);
	}

	@Provide
	Arbitrary<ProbeResult> results() {
		Arbitrary<Instant> timestamps = Arbitraries.longs()
			.between(0, 4_000_000_000L)
			.flatMap(seconds -> Arbitraries.integers()
				.between(0, 999_999_999)
				.map(nanos -> Instant.ofEpochSecond(seconds, nanos)));
		Arbitrary<Double> millis = Arbitraries.doubles().between(0, 60_000).injectNull(0.3);
		Arbitrary<Phases> phases = Combinators.combine(millis, millis, millis, millis, millis, millis).as(Phases::new);
		Arbitrary<List<ConditionResult>> conditions = Combinators
			.combine(Arbitraries.of("[STATUS] == 200", "[BODY].status == UP"), Arbitraries.of(true, false),
					Arbitraries.strings().ofMaxLength(20))
			.as(ConditionResult::new)
			.list()
			.ofMaxSize(3);
		Arbitrary<ProbeResult> partOne = Combinators
			.combine(timestamps, Arbitraries.of(true, false), Arbitraries.integers().between(100, 599).injectNull(0.3),
					Arbitraries.doubles().between(0, 60_000), phases, Arbitraries.of(true, false),
					Arbitraries.of(true, false), Arbitraries.of("127.0.0.1", "::1").injectNull(0.3))
			.as((timestamp, success, status, duration, phase, reused, stale, ip) -> new ProbeResult(timestamp, success,
					status, duration, phase, reused, stale, ip, 0, null, null, List.of(), 1));
		return Combinators
			.combine(partOne, Arbitraries.longs().between(0, 1L << 40),
					Arbitraries.of(FailureReason.class).injectNull(0.3),
					Arbitraries.strings().ofMaxLength(30).injectNull(0.3), conditions,
					Arbitraries.integers().between(1, 10))
			.as((base, bodyBytes, reason, error, conditionResults, attempts) -> new ProbeResult(base.timestamp(),
					base.success(), base.status(), base.durationMs(), base.phases(), base.connectionReused(),
					base.staleConnectionRetried(), base.ip(), bodyBytes, reason, error, conditionResults, attempts));
	}

	private static ProbeResult copy(ProbeResult result) {
		return new ProbeResult(result.timestamp(), result.success(), result.status(), result.durationMs(),
				result.phases(), result.connectionReused(), result.staleConnectionRetried(),
				(result.ip() != null) ? new String(result.ip()) : null, result.bodyBytes(), result.reason(),
				result.error(), new ArrayList<>(result.conditions()), result.attempts());
	}

}
