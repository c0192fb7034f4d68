package dev.pulse.api;

import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.pulse.support.ApiClient;
import dev.pulse.support.FaultServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The read API and actuator endpoints of a running Pulse that probes real loopback
 * servers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class TargetApiTest extends LiveApiTest {

	private static final FaultServer healthy = FaultServer.start(FaultServer.healthy());

	private static final FaultServer failing = FaultServer.start(FaultServer.status(503));

	@DynamicPropertySource
	static void targets(DynamicPropertyRegistry registry) {
		registry.add("pulse.targets.up.url", () -> healthy.url("/health"));
		registry.add("pulse.targets.up.interval", () -> "200ms");
		registry.add("pulse.targets.up.timeout", () -> "200ms");
		registry.add("pulse.targets.up.service", () -> "checkout");
		registry.add("pulse.targets.up.weight", () -> "250");
		registry.add("pulse.targets.down.url", () -> failing.url("/health"));
		registry.add("pulse.targets.down.interval", () -> "200ms");
		registry.add("pulse.targets.down.timeout", () -> "150ms");
		registry.add("pulse.targets.secret.url",
				() -> "http://user:hunter2@127.0.0.1:" + FaultServer.refusedPort() + "/x");
		registry.add("pulse.targets.secret.enabled", () -> "false");
	}

	@AfterAll
	static void stopServers() {
		healthy.close();
		failing.close();
	}

	@Test
	void listShouldShowEveryTargetWithItsLatestResult() throws Exception {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> !getJson("/api/targets/up").path("latest").isNull()
					&& !getJson("/api/targets/down").path("latest").isNull());

		JsonNode targets = getJson("/api/targets").path("targets");

		assertThat(targets).hasSize(3);
		assertThat(targets.findValuesAsString("name")).containsExactly("down", "secret", "up");
		JsonNode up = targets.get(2);
		assertThat(up.path("service").asString()).isEqualTo("checkout");
		assertThat(up.path("url").asString()).isEqualTo(healthy.url("/health"));
		assertThat(up.path("interval").asString()).isEqualTo("200ms");
		assertThat(up.path("timeout").asString()).isEqualTo("200ms");
		assertThat(up.path("weight").asInt()).isEqualTo(250);
		assertThat(up.path("source").asString()).isEqualTo("config");
		JsonNode latest = up.path("latest");
		assertThat(latest.path("success").asBoolean()).isTrue();
		assertThat(latest.path("status").asInt()).isEqualTo(200);
		assertThat(latest.path("reason").isNull()).isTrue();
		assertThat(latest.path("timestamp").asString()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
		assertThat(latest.path("phases").has("acquireMs")).isTrue();
		assertThat(latest.path("conditions").get(0).path("output").asString()).isEqualTo("[STATUS] == 200");
		JsonNode down = targets.get(0).path("latest");
		assertThat(down.path("success").asBoolean()).isFalse();
		assertThat(down.path("reason").asString()).isEqualTo("condition-failed");
		assertThat(down.path("conditions").get(0).path("output").asString()).isEqualTo("[STATUS] (503) == 200");
		assertThat(targets.get(1).path("latest").isNull()).as("a disabled target is never probed").isTrue();
	}

	@Test
	void urlUserInfoShouldNeverBeShown() throws Exception {
		HttpResponse<String> response = get("/api/targets/secret");

		assertThat(response.body()).doesNotContain("hunter2").contains("******@127.0.0.1");
	}

	@Test
	void resultsShouldBeNewestFirstAndLimited() throws Exception {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> getJson("/api/targets/up/results?limit=100").path("results").size() >= 3);

		JsonNode body = getJson("/api/targets/up/results?limit=2");

		assertThat(body.path("target").asString()).isEqualTo("up");
		JsonNode results = body.path("results");
		assertThat(results).hasSize(2);
		assertThat(results.get(0).path("timestamp").asString())
			.isGreaterThan(results.get(1).path("timestamp").asString());
		assertThat(getJson("/api/targets/up/results").path("results").size()).isBetween(3, 20);
	}

	@Test
	void unknownTargetShouldAnswer404ProblemJson() throws Exception {
		for (String path : new String[] { "/api/targets/nope", "/api/targets/nope/results" }) {
			HttpResponse<String> response = get(path);

			assertThat(response.statusCode()).isEqualTo(404);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			JsonNode problem = ApiClient.parse(response.body());
			assertThat(problem.path("status").asInt()).isEqualTo(404);
			assertThat(problem.path("detail").asString()).isEqualTo("No target named 'nope'");
		}
	}

	@Test
	void invalidLimitShouldAnswer400ProblemJson() throws Exception {
		for (String limit : new String[] { "0", "101", "-1", "abc" }) {
			HttpResponse<String> response = get("/api/targets/up/results?limit=" + limit);

			assertThat(response.statusCode()).as("limit=%s", limit).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		}
	}

	@Test
	void heartbeatShouldAnswerUp() throws Exception {
		HttpResponse<String> response = get("/heartbeat");

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(ApiClient.parse(response.body()).path("status").asString()).isEqualTo("UP");
	}

	@Test
	void actuatorShouldServeHealthGroupsInfoAndPrometheus() throws Exception {
		assertThat(getJson("/actuator/health/liveness").path("status").asString()).isEqualTo("UP");
		assertThat(getJson("/actuator/health/readiness").path("status").asString()).isEqualTo("UP");
		assertThat(getJson("/actuator/health").path("status").asString())
			.as("a failing target never makes Pulse itself unhealthy")
			.isEqualTo("UP");
		assertThat(get("/actuator/info").statusCode()).isEqualTo(200);
		HttpResponse<String> prometheus = get("/actuator/prometheus");
		assertThat(prometheus.statusCode()).isEqualTo(200);
		assertThat(prometheus.body()).contains("jvm_memory_used_bytes")
			.contains("pulse_probe_retries_total")
			.contains("pulse_probe_retries_refused_total");
	}

}
