package dev.pulse.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import dev.pulse.health.HealthState;

import static dev.pulse.routing.ScorerTest.NOW;
import static dev.pulse.routing.ScorerTest.PROPERTIES;
import static dev.pulse.routing.ScorerTest.health;
import static org.assertj.core.api.Assertions.assertThat;

/** Properties of scores, weights and picks that must hold for any input. */
class ScoreProperties {

	private final Scorer scorer = new Scorer(PROPERTIES);

	@Provide
	Arbitrary<HealthState> states() {
		return Arbitraries.of(HealthState.class);
	}

	@Property
	void higherLatencyShouldNeverRaiseTheScore(@ForAll("states") HealthState state,
			@ForAll @DoubleRange(min = 0.01, max = 100_000) double latency,
			@ForAll @DoubleRange(min = 0, max = 100_000) double more,
			@ForAll @DoubleRange(min = 0, max = 1) double errorRate,
			@ForAll @DoubleRange(min = 0.01, max = 100_000) double best) {
		double faster = this.scorer.score(100, health(state, latency, errorRate, NOW.minusSeconds(600)), best, NOW)
			.score();
		double slower = this.scorer
			.score(100, health(state, latency + more, errorRate, NOW.minusSeconds(600)), best, NOW)
			.score();

		assertThat(slower).isLessThanOrEqualTo(faster);
	}

	@Property
	void higherErrorRateShouldNeverRaiseTheScore(@ForAll("states") HealthState state,
			@ForAll @DoubleRange(min = 0.01, max = 100_000) double latency,
			@ForAll @DoubleRange(min = 0, max = 1) double errorRate,
			@ForAll @DoubleRange(min = 0, max = 1) double more) {
		double fewer = this.scorer.score(100, health(state, latency, errorRate, NOW.minusSeconds(600)), latency, NOW)
			.score();
		double worse = this.scorer
			.score(100, health(state, latency, Math.min(1, errorRate + more), NOW.minusSeconds(600)), latency, NOW)
			.score();

		assertThat(worse).isLessThanOrEqualTo(fewer);
	}

	@Property
	void scoresShouldStayInRangeAndWeightsNeverNegative(@ForAll("states") HealthState state,
			@ForAll @IntRange(min = 1, max = 1000) int weight,
			@ForAll @DoubleRange(min = 0.01, max = 1_000_000) double latency,
			@ForAll @DoubleRange(min = 0, max = 1) double errorRate, @ForAll @IntRange(min = 0, max = 120) int upFor) {
		Score score = this.scorer.score(weight, health(state, latency, errorRate, NOW.minusSeconds(upFor)), latency,
				NOW);

		assertThat(score.score()).isBetween(0.0, 100.0);
		assertThat(score.weight()).isBetween(0.0, (double) weight);
	}

	@Property(tries = 30)
	void weightedPickShouldFollowTheWeightsOver10000Draws(
			@ForAll @Size(min = 2, max = 6) List<@IntRange(min = 1, max = 1000) Integer> weights, @ForAll long seed) {
		List<TargetScore> targets = new ArrayList<>();
		for (int i = 0; i < weights.size(); i++) {
			targets.add(new TargetScore("t" + i, "http://127.0.0.1/" + i, HealthState.HEALTHY, 100, weights.get(i),
					true, true, 0.0, 10.0, List.of()));
		}
		ServiceRouting routing = new ServiceRouting("s", false, targets);
		SplittableRandom random = new SplittableRandom(seed);
		int[] picks = new int[weights.size()];

		for (int draw = 0; draw < 10_000; draw++) {
			TargetScore pick = Router.choose(routing, Strategy.WEIGHTED, random).orElseThrow();
			picks[Integer.parseInt(pick.name().substring(1))]++;
		}

		double total = weights.stream().mapToInt(Integer::intValue).sum();
		for (int i = 0; i < weights.size(); i++) {
			// 10,000 draws: one standard deviation of a share is at most 0.005; allow
			// five.
			assertThat(picks[i] / 10_000.0).as("share of t%d", i)
				.isCloseTo(weights.get(i) / total, org.assertj.core.data.Offset.offset(0.025));
		}
	}

	@Property(tries = 50)
	void pickShouldNeverChooseAnIneligibleTargetOutsidePanic(@ForAll @Size(min = 1, max = 8) List<Boolean> eligible,
			@ForAll long seed) {
		List<TargetScore> targets = new ArrayList<>();
		for (int i = 0; i < eligible.size(); i++) {
			targets.add(new TargetScore("t" + i, "u", eligible.get(i) ? HealthState.HEALTHY : HealthState.UNHEALTHY,
					eligible.get(i) ? 90 : 0, eligible.get(i) ? 90 : 0, eligible.get(i), true, 0.0, 10.0, List.of()));
		}
		ServiceRouting routing = new ServiceRouting("s", false, targets);
		SplittableRandom random = new SplittableRandom(seed);

		for (Strategy strategy : Strategy.values()) {
			for (int draw = 0; draw < 100; draw++) {
				Router.choose(routing, strategy, random)
					.ifPresentOrElse(pick -> assertThat(pick.eligible()).isTrue(),
							() -> assertThat(eligible).doesNotContain(true));
			}
		}
	}

	@Property(tries = 20)
	void slowStartShouldNeverLowerTheWeightAsTimePasses(@ForAll @IntRange(min = 0, max = 40) int earlier,
			@ForAll @IntRange(min = 0, max = 40) int later) {
		int a = Math.min(earlier, later);
		int b = Math.max(earlier, later);
		Scorer ramping = new Scorer(new RoutingProperties(Duration.ofMillis(200), 0, 1.0, 50,
				new RoutingProperties.SlowStart(10, Duration.ofSeconds(30)), java.util.Map.of()));

		double weightA = ramping.score(100, health(HealthState.HEALTHY, 50.0, 0, NOW.minusSeconds(a)), 50.0, NOW)
			.weight();
		double weightB = ramping.score(100, health(HealthState.HEALTHY, 50.0, 0, NOW.minusSeconds(b)), 50.0, NOW)
			.weight();

		assertThat(weightB).isGreaterThanOrEqualTo(weightA);
	}

}
