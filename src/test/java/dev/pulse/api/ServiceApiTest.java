package dev.pulse.api;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.pulse.support.ApiClient;
import dev.pulse.support.FaultServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Services, scores, routes and the routing actuator endpoint of a running Pulse. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ServiceApiTest extends LiveApiTest {

	private static final FaultServer fast = FaultServer.start(FaultServer.healthy());

	private static final FaultServer slow = FaultServer.start(FaultServer.slow(Duration.ofMillis(60)));

	@DynamicPropertySource
	static void targets(DynamicPropertyRegistry registry) {
		registry.add("pulse.routing.slow-start.window", () -> "0s");
		registry.add("pulse.routing.latency-target", () -> "20ms");
		registry.add("pulse.routing.services.lonely.panic-threshold", () -> "0");
		registry.add("pulse.targets.shop-1.url", () -> fast.url("/health"));
		registry.add("pulse.targets.shop-1.service", () -> "shop");
		registry.add("pulse.targets.shop-2.url", () -> slow.url("/health"));
		registry.add("pulse.targets.shop-2.service", () -> "shop");
		registry.add("pulse.targets.shop-3.url", () -> "http://127.0.0.1:" + FaultServer.refusedPort() + "/");
		registry.add("pulse.targets.shop-3.service", () -> "shop");
		registry.add("pulse.targets.lonely-1.url", () -> "http://127.0.0.1:" + FaultServer.refusedPort() + "/");
		registry.add("pulse.targets.lonely-1.service", () -> "lonely");
		// A service whose every target refuses connections, with the default panic
		// threshold: panic mode must not pick either.
		registry.add("pulse.targets.dead-1.url", () -> "http://127.0.0.1:" + FaultServer.refusedPort() + "/");
		registry.add("pulse.targets.dead-1.service", () -> "dead");
		registry.add("pulse.targets.dead-2.url", () -> "http://127.0.0.1:" + FaultServer.refusedPort() + "/");
		registry.add("pulse.targets.dead-2.service", () -> "dead");
		for (String name : new String[] { "shop-1", "shop-2", "shop-3", "lonely-1", "dead-1", "dead-2" }) {
			registry.add("pulse.targets." + name + ".interval", () -> "200ms");
			registry.add("pulse.targets." + name + ".timeout", () -> "190ms");
			registry.add("pulse.targets." + name + ".retry.max-attempts", () -> "1");
		}
	}

	@AfterAll
	static void stopServers() {
		fast.close();
		slow.close();
	}

	@BeforeEach
	void waitForStates() {
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			JsonNode targets = getJson("/api/services/shop/scores").path("targets");
			return targets.get(0).path("state").asString().equals("HEALTHY")
					&& targets.get(1).path("state").asString().equals("HEALTHY")
					&& targets.get(2).path("state").asString().equals("UNHEALTHY");
		});
	}

	@Test
	void servicesShouldListTargetsAndHealthyCounts() throws Exception {
		JsonNode services = getJson("/api/services").path("services");

		assertThat(services.findValuesAsString("name")).containsExactly("dead", "lonely", "shop");
		JsonNode shop = services.get(2);
		assertThat(shop.path("targets").asInt()).isEqualTo(3);
		assertThat(shop.path("healthy").asInt()).isEqualTo(2);
		assertThat(shop.path("panic").asBoolean()).isFalse();
	}

	@Test
	void scoresShouldExplainEveryTarget() throws Exception {
		JsonNode scores = getJson("/api/services/shop/scores");

		assertThat(scores.path("service").asString()).isEqualTo("shop");
		JsonNode fastTarget = scores.path("targets").get(0);
		JsonNode slowTarget = scores.path("targets").get(1);
		JsonNode down = scores.path("targets").get(2);
		assertThat(fastTarget.path("score").asDouble()).isGreaterThan(slowTarget.path("score").asDouble());
		assertThat(slowTarget.path("latencyEwmaMs").asDouble()).isGreaterThanOrEqualTo(60.0);
		assertThat(down.path("weight").asDouble()).isZero();
		assertThat(down.path("eligible").asBoolean()).isFalse();
		assertThat(fastTarget.path("explanation").findValuesAsString("name")).containsExactly("state", "latency",
				"errors", "weight");
		assertThat(fastTarget.path("url").asString()).isEqualTo(fast.url("/health"));
	}

	@Test
	void routeShouldPickOnlyEligibleTargets() throws Exception {
		for (String strategy : new String[] { "weighted", "p2c" }) {
			for (int i = 0; i < 20; i++) {
				JsonNode pick = getJson("/api/services/shop/route?strategy=" + strategy);

				assertThat(pick.path("service").asString()).isEqualTo("shop");
				assertThat(pick.path("target").asString()).isIn("shop-1", "shop-2");
				assertThat(pick.path("panic").asBoolean()).isFalse();
				assertThat(pick.path("weight").asDouble()).isPositive();
			}
		}
		assertThat(getJson("/api/services/shop/route?strategy=p2c").path("target").asString())
			.as("p2c between the two up targets always takes the faster")
			.isEqualTo("shop-1");
	}

	@Test
	void routeWithoutEligibleTargetAndWithoutPanicShouldAnswer503() throws Exception {
		await().atMost(Duration.ofSeconds(5)).until(() -> get("/api/services/lonely/route").statusCode() == 503);

		HttpResponse<String> response = get("/api/services/lonely/route");

		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = ApiClient.parse(response.body());
		assertThat(problem.path("title").asString()).isEqualTo("No eligible target");
		assertThat(problem.path("reason").asString()).isEqualTo("no-routable-target");
		assertThat(problem.path("panic").asBoolean()).isFalse();
		assertThat(problem.path("targets").findValuesAsString("target")).containsExactly("lonely-1");
	}

	@Test
	void panicModeShouldNeverPickATargetThatAnswersNothing() throws Exception {
		await().atMost(Duration.ofSeconds(5))
			.until(() -> getJson("/api/services/dead/scores").path("targets").findValuesAsString("state"),
					states -> states.equals(java.util.List.of("UNHEALTHY", "UNHEALTHY")));

		for (int i = 0; i < 10; i++) {
			HttpResponse<String> response = get("/api/services/dead/route");

			assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			JsonNode problem = ApiClient.parse(response.body());
			assertThat(problem.path("reason").asString()).isEqualTo("no-routable-target");
			assertThat(problem.path("panic").asBoolean()).isTrue();
			JsonNode targets = problem.path("targets");
			assertThat(targets.findValuesAsString("target")).containsExactly("dead-1", "dead-2");
			assertThat(targets.findValuesAsString("state")).containsOnly("UNHEALTHY");
			assertThat(targets.findValuesAsString("reason")).containsOnly("unreachable");
			assertThat(targets.findValuesAsString("lastFailure")).containsOnly("connection-refused");
			assertThat(targets.get(0).path("detail").asString()).startsWith("no HTTP response to its last ");
		}
		assertThat(getJson("/api/services/dead/scores").path("targets").findValuesAsString("reachable"))
			.containsOnly("false");
	}

	@Test
	void unknownServiceOrStrategyShouldAnswerProblems() throws Exception {
		assertThat(get("/api/services/nope/scores").statusCode()).isEqualTo(404);
		assertThat(get("/api/services/nope/route").statusCode()).isEqualTo(404);
		HttpResponse<String> badStrategy = get("/api/services/shop/route?strategy=random");
		assertThat(badStrategy.statusCode()).isEqualTo(400);
		assertThat(badStrategy.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	void targetShouldShowStateScoreWeightAndChanges() throws Exception {
		JsonNode target = getJson("/api/targets/shop-3");

		assertThat(target.path("state").asString()).isEqualTo("UNHEALTHY");
		assertThat(target.path("score").asDouble()).isZero();
		assertThat(target.path("routingWeight").asDouble()).isZero();
		assertThat(target.path("weight").asInt()).as("the static weight keeps its name").isEqualTo(100);
		JsonNode change = target.path("changes").get(0);
		assertThat(change.path("from").asString()).isEqualTo("UNKNOWN");
		assertThat(change.path("to").asString()).isEqualTo("UNHEALTHY");
		assertThat(change.path("reason").asString()).startsWith("first result: connection-refused");
		assertThat(change.path("at").asString()).endsWith("Z");
	}

	@Test
	void routingActuatorEndpointShouldServeAllServicesAndOne() throws Exception {
		JsonNode all = getJson("/actuator/routing");
		assertThat(all.path("services").findValuesAsString("service")).containsExactly("dead", "lonely", "shop");

		JsonNode shop = getJson("/actuator/routing/shop");
		assertThat(shop.path("targets")).hasSize(3);

		HttpResponse<String> unknown = get("/actuator/routing/nope");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = ApiClient.parse(unknown.body());
		assertThat(problem.path("title").asString()).isEqualTo("Service not found");
		assertThat(problem.path("detail").asString()).isEqualTo("No service named 'nope'");
		// The same shape as the API's own 404 for the same service.
		assertThat(ApiClient.parse(get("/api/services/nope/scores").body()).path("title").asString())
			.isEqualTo("Service not found");

		HttpResponse<String> noSelector = get("/actuator/connections/nope");
		assertThat(noSelector.statusCode()).isEqualTo(404);
		assertThat(noSelector.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(noSelector.body()).doesNotContain("refused the request before it reached the API");
	}

}
