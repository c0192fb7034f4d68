package dev.pulse.api;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.pulse.support.ApiClient;
import dev.pulse.support.FaultServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Registering, replacing, removing and probing targets over the API, with tokens. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "pulse.api.write-token=s3cret", "pulse.limits.max-targets=6",
				// The servers here are on loopback, which the SSRF guard denies to API
				// targets by default.
				"pulse.security.ssrf.allow=127.0.0.0/8" })
@ActiveProfiles("test")
class TargetWriteApiTest {

	private static final FaultServer healthy = FaultServer.start(FaultServer.healthy());

	/**
	 * Serves only a disabled target, so any request it sees is a probe that broke the
	 * promise.
	 */
	private static final FaultServer untouched = FaultServer.start(FaultServer.healthy());

	private static final FaultServer slow = FaultServer.start(FaultServer.slow(Duration.ofMillis(400)));

	@LocalServerPort
	private int port;

	private ApiClient anonymous;

	private ApiClient api;

	@DynamicPropertySource
	static void targets(DynamicPropertyRegistry registry) {
		registry.add("pulse.targets.configured.url", () -> healthy.url("/config"));
	}

	@AfterAll
	static void stopServers() {
		healthy.close();
		untouched.close();
		slow.close();
	}

	@BeforeEach
	void clients() {
		this.anonymous = new ApiClient(this.port);
		this.api = this.anonymous.withToken("s3cret");
	}

	private static String target(String url) {
		return "{\"url\": \"" + url + "\", \"interval\": \"2s\", \"timeout\": \"1s\"}";
	}

	@Test
	void putShouldCreateThenReplaceAndTheTargetShouldBeProbedAtOnce() throws Exception {
		HttpResponse<String> created = this.api.put("/api/targets/reg-a", target(healthy.url("/a")));

		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat(created.headers().firstValue("Location")).hasValue("/api/targets/reg-a");
		assertThat(ApiClient.parse(created.body()).path("source").asString()).isEqualTo("api");
		await().atMost(Duration.ofSeconds(1))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> !this.api.getJson("/api/targets/reg-a").path("latest").isNull());
		assertThat(this.api.getJson("/api/targets/reg-a").path("latest").path("success").asBoolean()).isTrue();

		HttpResponse<String> replaced = this.api.put("/api/targets/reg-a",
				"{\"url\": \"" + healthy.url("/a2") + "\", \"service\": \"shop\", \"weight\": 7}");

		assertThat(replaced.statusCode()).isEqualTo(200);
		JsonNode view = this.api.getJson("/api/targets/reg-a");
		assertThat(view.path("service").asString()).isEqualTo("shop");
		assertThat(view.path("weight").asInt()).isEqualTo(7);
		assertThat(view.path("url").asString()).isEqualTo(healthy.url("/a2"));
	}

	@Test
	void everySettingShouldReadBackAsThePutBodySpellsItAndPutBackUnchanged() throws Exception {
		String body = """
				{"service": "round", "url": "%s", "method": "POST", "interval": "3s", "timeout": "700ms",
				 "jitter": "250ms", "conditions": ["[STATUS] == 200", "[RESPONSE_TIME] < 900"], "weight": 7,
				 "fresh-connection": true, "tls": {"insecure-skip-verify": true}, "enabled": false,
				 "retry": {"max-attempts": 4, "initial-backoff": "150ms", "multiplier": 3.0,
				           "randomization-factor": 0.25, "max-backoff": "1s", "retry-on": ["timeout"]}}
				""".formatted(healthy.url("/round"));
		assertThat(this.api.put("/api/targets/reg-r", body).statusCode()).isEqualTo(201);
		JsonNode first = this.api.getJson("/api/targets/reg-r");
		assertThat(first.path("method").asString()).isEqualTo("POST");
		assertThat(first.path("jitter").asString()).isEqualTo("250ms");
		assertThat(first.path("conditions").get(1).asString()).isEqualTo("[RESPONSE_TIME] < 900");
		assertThat(first.path("fresh-connection").asBoolean()).isTrue();
		assertThat(first.path("tls").path("insecure-skip-verify").asBoolean()).isTrue();
		assertThat(first.path("enabled").asBoolean()).isFalse();
		assertThat(first.path("retry").path("max-attempts").asInt()).isEqualTo(4);
		assertThat(first.path("retry").path("retry-on").get(0).asString()).isEqualTo("timeout");

		StringBuilder settings = new StringBuilder("{");
		for (String field : List.of("service", "url", "method", "interval", "timeout", "jitter", "conditions", "weight",
				"fresh-connection", "tls", "enabled", "retry")) {
			settings.append(settings.length() > 1 ? "," : "")
				.append('"')
				.append(field)
				.append("\":")
				.append(first.path(field));
		}
		HttpResponse<String> again = this.api.put("/api/targets/reg-r", settings.append('}').toString());
		assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
		JsonNode second = this.api.getJson("/api/targets/reg-r");
		for (String field : List.of("service", "url", "method", "interval", "timeout", "jitter", "conditions", "weight",
				"fresh-connection", "tls", "enabled", "retry")) {
			assertThat(second.path(field)).as(field).isEqualTo(first.path(field));
		}
	}

	@Test
	void deleteShouldStopTheTargetAndDropItsResults() throws Exception {
		this.api.put("/api/targets/reg-b", target(healthy.url("/b")));
		await().atMost(Duration.ofSeconds(2))
			.until(() -> !this.api.getJson("/api/targets/reg-b").path("latest").isNull());

		assertThat(this.api.delete("/api/targets/reg-b").statusCode()).isEqualTo(204);

		assertThat(this.api.get("/api/targets/reg-b").statusCode()).isEqualTo(404);
		assertThat(this.api.get("/api/targets/reg-b/results").statusCode()).isEqualTo(404);
		assertThat(this.api.delete("/api/targets/reg-b").statusCode()).isEqualTo(404);
	}

	@Test
	void configuredTargetsShouldBeReadOnly() throws Exception {
		HttpResponse<String> put = this.api.put("/api/targets/configured", target(healthy.url("/x")));
		HttpResponse<String> delete = this.api.delete("/api/targets/configured");

		assertThat(put.statusCode()).isEqualTo(409);
		assertThat(put.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(delete.statusCode()).isEqualTo(409);
	}

	@Test
	void writesWithoutTheRightTokenShouldBeRefused() throws Exception {
		HttpResponse<String> missing = this.anonymous.put("/api/targets/reg-c", target(healthy.url("/c")));
		HttpResponse<String> wrong = this.anonymous.withToken("nope")
			.put("/api/targets/reg-c", target(healthy.url("/c")));

		assertThat(missing.statusCode()).isEqualTo(401);
		assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"pulse\"");
		assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(wrong.statusCode()).isEqualTo(403);
		assertThat(this.anonymous.delete("/api/targets/configured").statusCode()).isEqualTo(401);
		assertThat(this.anonymous.get("/api/targets").statusCode()).as("reads stay open").isEqualTo(200);
		assertThat(this.api.get("/api/targets/reg-c").statusCode()).as("nothing was created").isEqualTo(404);
	}

	@Test
	void invalidTargetShouldListEveryInvalidField() throws Exception {
		HttpResponse<String> response = this.api.put("/api/targets/reg-d", """
				{"url": "ftp://127.0.0.1/", "interval": "500ms", "timeout": "soon", "weight": 0,
				 "conditions": ["[STAUS] == 200"], "method": "get"}""");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode errors = ApiClient.parse(response.body()).path("errors");
		assertThat(errors.findValuesAsString("field")).containsExactlyInAnyOrder("interval", "timeout", "url", "method",
				"weight", "conditions[0]");
		assertThat(this.api.get("/api/targets/reg-d").statusCode()).isEqualTo(404);
	}

	@Test
	void badRequestBodiesShouldAnswer4xxProblemJsonNever500() throws Exception {
		List<String> bodies = List.of("{not json", "", "[]", "{\"url\": 5}",
				"{\"url\": \"http://127.0.0.1/\", \"nope\": 1}",
				"{\"url\": \"http://127.0.0.1/\", \"weight\": \"heavy\"}",
				"{\"url\": \"http://127.0.0.1/\", \"headers\": [1]}", "{\"url\": null}", "null",
				"{\"url\": \"http://127.0.0.1/\", \"interval\": \"-1s\"}");
		for (String body : bodies) {
			HttpResponse<String> response = this.api.put("/api/targets/reg-e", body);

			assertThat(response.statusCode()).as(body).isBetween(400, 499);
			assertThat(response.headers().firstValue("Content-Type")).as(body).hasValue("application/problem+json");
		}
		assertThat(this.api.put("/api/targets/Bad_Name", target(healthy.url("/x"))).statusCode()).isEqualTo(400);
		HttpResponse<String> huge = this.api.put("/api/targets/reg-e",
				"{\"url\": \"http://127.0.0.1/\", \"body\": \"" + "x".repeat(2 * 1024 * 1024) + "\"}");
		assertThat(huge.statusCode()).isEqualTo(413);
		assertThat(huge.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	void secretsShouldNeverBeShown() throws Exception {
		this.api.put("/api/targets/reg-f", "{\"url\": \"http://user:hunter2@127.0.0.1:" + healthy.port()
				+ "/f\", \"headers\": {\"Authorization\": \"Bearer topsecret\"}}");

		String view = this.api.get("/api/targets/reg-f").body() + this.api.get("/api/targets").body()
				+ this.api.get("/api/services/reg-f/scores").body();
		HttpResponse<String> invalid = this.api.put("/api/targets/reg-g",
				"{\"url\": \"ftp://user:hunter2@127.0.0.1/\"}");

		assertThat(view).doesNotContain("hunter2").doesNotContain("topsecret").contains("******@127.0.0.1");
		assertThat(invalid.body()).doesNotContain("hunter2");
	}

	@Test
	void onDemandProbeShouldAnswerItsResultAndRefuseASecondInFlight() throws Exception {
		this.api.put("/api/targets/reg-h", target(slow.url("/h")));

		var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
			try {
				return this.api.post("/api/targets/reg-h/probe", "");
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		Thread.sleep(100);
		HttpResponse<String> second = this.api.post("/api/targets/reg-h/probe", "");
		HttpResponse<String> answered = first.get(5, java.util.concurrent.TimeUnit.SECONDS);

		assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
		assertThat(ApiClient.parse(answered.body()).path("status").asInt()).isEqualTo(200);
		assertThat(second.statusCode()).isEqualTo(429);
		assertThat(ApiClient.parse(second.body()).path("reason").asString()).isEqualTo("probe-in-flight");
		// The slow server answers within the 1s timeout, so a retry after it can succeed.
		assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(this.anonymous.post("/api/targets/reg-h/probe", "").statusCode()).isEqualTo(401);
		assertThat(this.api.post("/api/targets/nope/probe", "").statusCode()).isEqualTo(404);
	}

	@Test
	void onDemandProbesBeyondTheRateShouldAnswer429WithRetryAfter() throws Exception {
		assertThat(this.api.put("/api/targets/reg-r", target(healthy.url("/r"))).statusCode()).isIn(200, 201);

		HttpResponse<String> refused = null;
		// 3 per second are allowed; within 20 sequential calls one lands past them.
		for (int i = 0; i < 20 && refused == null; i++) {
			HttpResponse<String> answer = this.api.post("/api/targets/reg-r/probe", "");
			if (answer.statusCode() == 429) {
				refused = answer;
			}
		}

		assertThat(refused).as("a refused probe").isNotNull();
		assertThat(refused.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		String reason = ApiClient.parse(refused.body()).path("reason").asString();
		assertThat(reason).isIn("probe-rate-limited", "probe-in-flight");
		// The rate window turns every second; a running probe ends within its 1s timeout.
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
		this.api.delete("/api/targets/reg-r");
	}

	@Test
	void aDisabledTargetShouldNotBeProbedOnDemand() throws Exception {
		assertThat(
				this.api.put("/api/targets/reg-off", "{\"url\": \"" + untouched.url("/off") + "\", \"enabled\": false}")
					.statusCode())
			.isIn(200, 201);

		HttpResponse<String> refused = this.api.post("/api/targets/reg-off/probe", "");

		assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
		assertThat(refused.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = ApiClient.parse(refused.body());
		assertThat(problem.path("reason").asString()).isEqualTo("target-disabled");
		assertThat(problem.path("detail").asString()).contains("reg-off", "enabled: false");
		assertThat(untouched.requestsServed()).isZero();
		this.api.delete("/api/targets/reg-off");
	}

	@Test
	void registrationsBeyondMaxTargetsShouldAnswer409() throws Exception {
		int status = 0;
		for (int i = 0; i < 8 && status != 409; i++) {
			status = this.api.put("/api/targets/many-" + i, target(healthy.url("/m"))).statusCode();
		}

		assertThat(status).isEqualTo(409);
		for (int i = 0; i < 8; i++) {
			this.api.delete("/api/targets/many-" + i);
		}
	}

}
