package dev.pulse.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pulse.health.HealthState;
import dev.pulse.health.TargetHealth;

import static org.assertj.core.api.Assertions.assertThat;

/** The score formula on the README's worked example, and its edges. */
class ScorerTest {

	static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

	static final RoutingProperties PROPERTIES = new RoutingProperties(Duration.ofMillis(200), 0, 1.0, 50,
			new RoutingProperties.SlowStart(10, Duration.ofSeconds(30)), Map.of());

	private final Scorer scorer = new Scorer(PROPERTIES);

	static TargetHealth health(HealthState state, Double latencyMs, double errorRate, Instant upSince) {
		return new TargetHealth(state, 5, 0, 0, null, latencyMs, errorRate, 20, state.isUp() ? upSince : null,
				List.of());
	}

	private static TargetHealth settled(HealthState state, double latencyMs, double errorRate) {
		return health(state, latencyMs, errorRate, NOW.minus(Duration.ofMinutes(5)));
	}

	@Test
	void fastTargetWithoutErrorsShouldScoreFullMarks() {
		Score score = this.scorer.score(100, settled(HealthState.HEALTHY, 80, 0), 80.0, NOW);

		assertThat(score.score()).isEqualTo(100.0);
		assertThat(score.weight()).isEqualTo(100.0);
		assertThat(score.explanation()).extracting(Factor::name)
			.containsExactly("state", "latency", "errors", "weight");
	}

	@Test
	void slowerTargetWithSomeErrorsShouldLosePointsForEach() {
		Score score = this.scorer.score(100, settled(HealthState.HEALTHY, 400, 0.05), 80.0, NOW);

		// latency: 25 x 200/400 + 25 x 80/400 = 12.5 + 5 = 17.5; errors: 50 x 0.95 = 47.5
		assertThat(score.score()).isEqualTo(65.0);
		assertThat(score.weight()).isEqualTo(65.0);
		assertThat(score.explanation().get(1)).isEqualTo(new Factor("latency",
				"EWMA 400.0 ms against latency-target 200 ms and best in service 80.0 ms", 17.5, "+17.5 points"));
		assertThat(score.explanation().get(2))
			.isEqualTo(new Factor("errors", "5.0% of the last 20 results", 47.5, "+47.5 points"));
		assertThat(score.explanation().get(3).effect()).isEqualTo("weight = 100 x 65.0 / 100 = 65.0");
	}

	@Test
	void degradedTargetShouldHaveItsScoreHalved() {
		Score score = this.scorer.score(100, settled(HealthState.DEGRADED, 1200, 0.2), 80.0, NOW);

		// (25 x 200/1200 + 25 x 80/1200 + 50 x 0.8) x 0.5 = (4.17 + 1.67 + 40) x 0.5
		assertThat(score.score()).isEqualTo(22.9);
		assertThat(score.weight()).isEqualTo(22.9);
		assertThat(score.explanation().get(0)).isEqualTo(new Factor("state", "DEGRADED", 0.5, "x0.50"));
	}

	@Test
	void targetThatIsNotUpShouldWeighNothing() {
		for (HealthState state : new HealthState[] { HealthState.UNHEALTHY, HealthState.UNKNOWN }) {
			Score score = this.scorer.score(100, settled(state, 10, 0), 10.0, NOW);

			assertThat(score.score()).isZero();
			assertThat(score.weight()).isZero();
		}
	}

	@Test
	void targetThatJustBecameHealthyShouldRampItsWeight() {
		Score start = this.scorer.score(200, health(HealthState.HEALTHY, 80.0, 0, NOW), 80.0, NOW);
		Score halfway = this.scorer.score(200, health(HealthState.HEALTHY, 80.0, 0, NOW.minusSeconds(15)), 80.0, NOW);
		Score done = this.scorer.score(200, health(HealthState.HEALTHY, 80.0, 0, NOW.minusSeconds(30)), 80.0, NOW);

		assertThat(start.weight()).isEqualTo(20.0);
		assertThat(halfway.weight()).isEqualTo(110.0);
		assertThat(done.weight()).isEqualTo(200.0);
		assertThat(start.score()).as("slow start changes the weight, not the score").isEqualTo(100.0);
		assertThat(halfway.explanation()).extracting(Factor::name).contains("slow-start");
		assertThat(halfway.explanation().get(3))
			.isEqualTo(new Factor("slow-start", "up for 15.0 s of a 30 s ramp from 10%", 0.55, "x0.55"));
	}

	@Test
	void slowStartWindowOfZeroShouldTurnTheRampOff() {
		Scorer noRamp = new Scorer(new RoutingProperties(Duration.ofMillis(200), 0, 1.0, 50,
				new RoutingProperties.SlowStart(10, Duration.ZERO), Map.of()));

		assertThat(noRamp.score(100, health(HealthState.HEALTHY, 80.0, 0, NOW), 80.0, NOW).weight()).isEqualTo(100.0);
	}

	@Test
	void targetWithoutResponsesShouldKeepItsLatencyPoints() {
		Score score = this.scorer.score(100, health(HealthState.HEALTHY, null, 0, NOW.minus(Duration.ofMinutes(5))),
				null, NOW);

		assertThat(score.score()).isEqualTo(100.0);
	}

}
