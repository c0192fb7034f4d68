package dev.pulse.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.pulse.health.HealthProperties;
import dev.pulse.health.HealthState;
import dev.pulse.health.HealthTracker;
import dev.pulse.probe.FailureReason;
import dev.pulse.probe.Phases;
import dev.pulse.probe.ProbeResult;
import dev.pulse.support.TestTargets;
import dev.pulse.target.TargetRegistry;

import static dev.pulse.support.TestTargets.target;
import static org.assertj.core.api.Assertions.assertThat;

/** Eligibility, panic mode and picks over a service whose health is fed real results. */
class RouterTest {

	private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final HealthTracker health = new HealthTracker(new HealthProperties(2, 3, Duration.ofSeconds(1),
			Duration.ofSeconds(60), Duration.ofSeconds(1), 0.5, 20, 0.3, 50, null), this.clock);

	private final TargetRegistry registry = TestTargets.registry(
			target("http://127.0.0.1:1/").name("a").service("checkout").weight(100),
			target("http://127.0.0.1:2/").name("b").service("checkout").weight(300),
			target("http://127.0.0.1:3/").name("c").service("checkout").weight(100),
			target("http://127.0.0.1:4/").name("solo").service("billing"));

	private static ProbeResult ok(double millis) {
		return new ProbeResult(NOW, true, 200, millis, Phases.NONE, true, false, "127.0.0.1", 2, null, null, List.of(),
				1);
	}

	private static ProbeResult failed() {
		return new ProbeResult(NOW, false, null, 5, Phases.NONE, false, false, null, 0,
				FailureReason.CONNECTION_REFUSED, "refused", List.of(), 1);
	}

	private static ProbeResult serverError() {
		return new ProbeResult(NOW, false, 500, 5, Phases.NONE, true, false, "127.0.0.1", 2,
				FailureReason.CONDITION_FAILED, "[STATUS] (500) == 200", List.of(), 1);
	}

	private static ProbeResult poolExhausted() {
		return new ProbeResult(NOW, false, null, 0, Phases.NONE, false, false, null, 0, FailureReason.POOL_EXHAUSTED,
				"pool exhausted", List.of(), 1);
	}

	private void feed(String name, ProbeResult... results) {
		for (ProbeResult result : results) {
			this.health.onResult(this.registry.find(name).orElseThrow(), result);
		}
	}

	private Router router(RoutingProperties properties) {
		return new Router(this.registry, this.health, properties, this.clock);
	}

	private static RoutingProperties properties(int panicThreshold,
			Map<String, RoutingProperties.ServiceOverrides> services) {
		return new RoutingProperties(Duration.ofMillis(200), 0, 1.0, panicThreshold,
				new RoutingProperties.SlowStart(10, Duration.ZERO), services);
	}

	@Test
	void servicesShouldListEveryServiceOfEnabledTargets() {
		assertThat(router(properties(50, Map.of())).services()).containsExactly("billing", "checkout");
		assertThat(router(properties(50, Map.of())).service("nope")).isEmpty();
	}

	@Test
	void allServicesInOnePassShouldEqualEachServiceAlone() {
		feed("a", ok(50));
		feed("b", ok(80));
		Router router = router(properties(50, Map.of()));
		List<ServiceRouting> all = router.allServices();
		assertThat(all).extracting(ServiceRouting::service).containsExactly("billing", "checkout");
		for (ServiceRouting routing : all) {
			assertThat(routing).isEqualTo(router.service(routing.service()).orElseThrow());
		}
		assertThat(router.allScores()).hasSize(all.stream().mapToInt(routing -> routing.targets().size()).sum())
			.containsEntry("a",
					router.service("checkout")
						.orElseThrow()
						.targets()
						.stream()
						.filter(score -> score.name().equals("a"))
						.findFirst()
						.orElseThrow());
	}

	@Test
	void healthyTargetsShouldBeEligibleAndUnknownOnesNot() {
		feed("a", ok(50));
		feed("b", ok(50));

		ServiceRouting routing = router(properties(50, Map.of())).service("checkout").orElseThrow();

		assertThat(routing.targets()).extracting(TargetScore::name).containsExactly("a", "b", "c");
		assertThat(routing.targets()).extracting(TargetScore::state)
			.containsExactly(HealthState.HEALTHY, HealthState.HEALTHY, HealthState.UNKNOWN);
		assertThat(routing.targets()).extracting(TargetScore::eligible).containsExactly(true, true, false);
		assertThat(routing.targets()).extracting(TargetScore::weight).containsExactly(100.0, 300.0, 0.0);
		assertThat(routing.panic()).isFalse();
	}

	@Test
	void tooFewEligibleTargetsShouldTriggerPanicModeAcrossAllReachableTargets() {
		feed("a", ok(50));
		feed("b", serverError());
		feed("c", serverError());
		Router router = router(properties(50, Map.of()));

		ServiceRouting routing = router.service("checkout").orElseThrow();

		assertThat(routing.panic()).isTrue();
		SplittableRandom random = new SplittableRandom(7);
		java.util.Set<String> picked = new java.util.TreeSet<>();
		for (int i = 0; i < 200; i++) {
			picked.add(Router.choose(routing, Strategy.WEIGHTED, random).orElseThrow().name());
		}
		assertThat(picked).as("panic spreads over every target that answers").containsExactly("a", "b", "c");
		assertThat(router.pick(routing, Strategy.WEIGHTED).orElseThrow().panic()).isTrue();
	}

	@Test
	void panicModeShouldLeaveOutTargetsWhoseLatestProbeGotNoResponse() {
		feed("a", serverError());
		feed("b", failed());
		feed("c", serverError(), failed());
		ServiceRouting routing = router(properties(50, Map.of())).service("checkout").orElseThrow();
		assertThat(routing.panic()).isTrue();
		assertThat(routing.targets()).extracting(TargetScore::reachable).containsExactly(true, false, false);

		SplittableRandom random = new SplittableRandom(3);
		for (Strategy strategy : Strategy.values()) {
			for (int i = 0; i < 200; i++) {
				assertThat(Router.choose(routing, strategy, random).orElseThrow().name()).isEqualTo("a");
			}
		}
	}

	@Test
	void aServiceWhoseEveryTargetAnswersNothingShouldHaveNoPickEvenInPanic() {
		feed("a", failed(), failed(), failed());
		feed("b", failed());
		feed("c", serverError(), failed());
		Router router = router(properties(50, Map.of()));
		ServiceRouting routing = router.service("checkout").orElseThrow();

		assertThat(routing.panic()).isTrue();
		assertThat(router.pick(routing, Strategy.WEIGHTED)).isEmpty();
		assertThat(router.pick(routing, Strategy.P2C)).isEmpty();
		assertThat(router.exclusions(routing)).extracting(Exclusion::target, Exclusion::reason, Exclusion::lastFailure)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("a", "unreachable", "connection-refused"),
					org.assertj.core.groups.Tuple.tuple("b", "unreachable", "connection-refused"),
					org.assertj.core.groups.Tuple.tuple("c", "unreachable", "connection-refused"));
		assertThat(router.exclusions(routing).get(0).detail())
			.isEqualTo("no HTTP response to its last 3 probe(s), last: connection-refused");
	}

	@Test
	void aResponseShouldMakeATargetReachableAgainAndPoolExhaustionShouldNotCount() {
		feed("a", failed(), serverError());
		feed("b", failed(), poolExhausted());
		feed("c", serverError(), poolExhausted());
		ServiceRouting routing = router(properties(50, Map.of())).service("checkout").orElseThrow();

		assertThat(routing.targets()).extracting(TargetScore::reachable)
			.as("a answered last; b's pool-exhausted says nothing of b; nor c's of c")
			.containsExactly(true, false, true);
	}

	@Test
	void exclusionsShouldNameWhyEachTargetIsNotEligible() {
		feed("a", ok(50));
		feed("b", ok(900));
		feed("c", serverError());
		Router router = router(
				properties(0, Map.of("checkout", new RoutingProperties.ServiceOverrides(101.0, null, null))));
		ServiceRouting routing = router.service("checkout").orElseThrow();

		assertThat(router.pick(routing, Strategy.WEIGHTED)).isEmpty();
		assertThat(router.exclusions(routing)).extracting(Exclusion::reason)
			.containsExactly("score-below-min-score", "score-below-min-score", "unhealthy");
	}

	@Test
	void withPanicOffAServiceWithoutEligibleTargetsShouldHaveNoPick() {
		feed("solo", failed());
		Router router = router(properties(0, Map.of()));

		ServiceRouting routing = router.service("billing").orElseThrow();

		assertThat(routing.panic()).isFalse();
		assertThat(router.pick(routing, Strategy.WEIGHTED)).isEmpty();
		assertThat(router.pick(routing, Strategy.P2C)).isEmpty();
	}

	@Test
	void serviceThresholdsShouldOverrideTheDefaults() {
		feed("a", ok(50));
		feed("b", ok(900));
		feed("c", ok(50));
		Router router = router(
				properties(0, Map.of("checkout", new RoutingProperties.ServiceOverrides(90.0, null, null))));

		ServiceRouting checkout = router.service("checkout").orElseThrow();

		assertThat(checkout.targets()).extracting(TargetScore::eligible).containsExactly(true, false, true);
		assertThat(checkout.targets().get(1).score()).isLessThan(90);
	}

	@Test
	void errorRateAboveTheServiceMaximumShouldMakeATargetIneligible() {
		feed("a", ok(50), failed(), ok(50), ok(50));
		feed("b", ok(50));
		Router router = router(
				properties(0, Map.of("checkout", new RoutingProperties.ServiceOverrides(null, 0.05, null))));

		ServiceRouting checkout = router.service("checkout").orElseThrow();

		assertThat(checkout.targets().get(0).errorRate()).isEqualTo(0.25);
		assertThat(checkout.targets()).extracting(TargetScore::eligible).containsExactly(false, true, false);
	}

	@Test
	void powerOfTwoChoicesShouldPickTheHigherScoreOfTheTwo() {
		feed("a", ok(50));
		feed("b", ok(800));
		ServiceRouting routing = router(properties(0, Map.of())).service("checkout").orElseThrow();
		SplittableRandom random = new SplittableRandom(1);

		for (int i = 0; i < 100; i++) {
			assertThat(Router.choose(routing, Strategy.P2C, random).orElseThrow().name()).isEqualTo("a");
		}
	}

	@Test
	void scoreOfOneTargetShouldBeComputedWithinItsService() {
		feed("a", ok(50));
		feed("b", ok(100));

		TargetScore b = router(properties(50, Map.of())).score(this.registry.find("b").orElseThrow()).orElseThrow();

		// b is at target latency but twice as slow as a: 25 + 12.5 latency points, 50
		// error points
		assertThat(b.score()).isEqualTo(87.5);
		assertThat(b.weight()).isEqualTo(262.5);
	}

}
