package dev.pulse.security;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.web.bind.annotation.RequestMethod;

import dev.pulse.security.Routes.Route;
import dev.pulse.support.RunningPulse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every route Pulse serves, enumerated from its handler mappings at test time, called
 * without a token, with a wrong one and with the read token. Every route that can change
 * state (POST, PUT, PATCH, DELETE) must refuse all three with 401 or 403 as problem+json,
 * and nothing may change; so a mutating route added without protection fails here. Reads
 * follow the documented contract: with a read token set, {@code /api/**} and every
 * actuator endpoint but {@code health}, {@code info} and {@code prometheus} need it (so
 * {@code routing}, {@code connections} and any endpoint added later), and the rest of the
 * actuator, {@code /heartbeat} and the OpenAPI description stay open.
 */
class AuthorizationMatrixTest {

	private static final String WRITE = "matrix-write-token";

	private static final String READ = "matrix-read-token";

	/** POSTs that only compute, documented as reads. */
	private static final List<String> DOCUMENTED_READS = List.of("POST /api/conditions/evaluate");

	/** The actuator endpoints the README documents as open whatever the tokens. */
	private static final Set<String> OPEN_ACTUATOR = Set.of("health", "info", "prometheus");

	/** A registered target, so a route that let a write through would change it. */
	private static final Map<String, String> VALUES = Map.of("name", "victim", "service", "victim", "path", "liveness");

	private static final String VALID_TARGET = "{\"url\": \"http://victim.invalid/changed\", \"enabled\": false}";

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static @Nullable RunningPulse pulse;

	private static List<Route> routes = List.of();

	@BeforeAll
	static void start() throws Exception {
		pulse = RunningPulse.start("pulse.api.write-token=" + WRITE, "pulse.api.read-token=" + READ);
		assertThat(pulse.api()
			.withToken(WRITE)
			.put("/api/targets/victim", "{\"url\": \"http://victim.invalid/\", \"enabled\": false}")
			.statusCode()).isEqualTo(201);
		routes = Routes.of(pulse.context());
	}

	@AfterAll
	static void stop() {
		if (pulse != null) {
			pulse.close();
		}
	}

	@Test
	void theEnumerationShouldSeeTheKnownRoutes() {
		assertThat(routes).extracting((route) -> route.method() + " " + route.pattern())
			.contains("PUT /api/targets/{name}", "DELETE /api/targets/{name}", "POST /api/targets/{name}/probe",
					"POST /api/conditions/evaluate", "GET /api/targets", "GET /api/events", "GET /heartbeat",
					"GET /actuator/prometheus", "GET /actuator/connections");
	}

	@Test
	void everyMutatingRouteShouldRefuseCallersWithoutTheWriteToken() throws Exception {
		String targetsBefore = pulse.api().withToken(WRITE).get("/api/targets").body();
		List<Map<String, Object>> rowsBefore = pulse.storedRows();
		List<Route> mutating = routes.stream()
			.filter(Route::mutating)
			.filter((route) -> !DOCUMENTED_READS.contains(route.method() + " " + route.pattern()))
			.toList();
		assertThat(mutating).as("mutating routes found").hasSizeGreaterThanOrEqualTo(3);

		SoftAssertions softly = new SoftAssertions();
		for (Route route : mutating) {
			for (String token : new String[] { null, "wrong", READ }) {
				Answer answer = call(route, token);
				int expected = (token == null) ? 401 : 403;
				softly.assertThat(answer.status())
					.as("%s with %s: %s", route, describe(token), answer.body())
					.isEqualTo(expected);
				softly.assertThat(answer.contentType())
					.as("%s with %s", route, describe(token))
					.startsWith("application/problem+json");
			}
		}
		softly.assertAll();
		assertThat(pulse.api().withToken(WRITE).get("/api/targets").body()).isEqualTo(targetsBefore);
		assertThat(pulse.storedRows()).isEqualTo(rowsBefore);
	}

	@Test
	void apiReadsShouldNeedTheReadTokenAndEverythingElseShouldStayOpen() throws Exception {
		List<Route> reads = routes.stream()
			.filter((route) -> !route.mutating() || DOCUMENTED_READS.contains(route.method() + " " + route.pattern()))
			.filter((route) -> route.method() == RequestMethod.GET || route.method() == RequestMethod.POST)
			.toList();

		SoftAssertions softly = new SoftAssertions();
		for (Route route : reads) {
			Answer anonymous = call(route, null);
			Answer reader = call(route, READ);
			if (needsReadToken(route.pattern())) {
				softly.assertThat(anonymous.status()).as("%s without a token", route).isEqualTo(401);
				softly.assertThat(anonymous.contentType())
					.as("%s without a token", route)
					.startsWith("application/problem+json");
				softly.assertThat(call(route, "wrong").status()).as("%s with a wrong token", route).isEqualTo(403);
				softly.assertThat(reader.status()).as("%s with the read token", route).isNotIn(401, 403);
			}
			else {
				softly.assertThat(anonymous.status()).as("%s without a token", route).isNotIn(401, 403);
			}
		}
		softly.assertAll();
	}

	@Test
	void actuatorEndpointsThatShowTargetsShouldBeAmongTheGuardedOnes() {
		assertThat(routes).filteredOn((route) -> needsReadToken(route.pattern()))
			.extracting(Route::pattern)
			.contains("/actuator/routing", "/actuator/routing/{service}", "/actuator/connections")
			.noneMatch(
					(pattern) -> pattern.startsWith("/actuator/health") || pattern.startsWith("/actuator/prometheus"));
	}

	/** The guard matches the path as the handlers see it, not the raw URI. */
	@Test
	void disguisedPathsShouldNeedTheReadTokenToo() throws Exception {
		for (String path : List.of("/actuator/%72outing", "/actuator;x=y/routing", "/actuator/routing;x=y",
				"/actuator//routing", "/%61pi/targets", "/api;x=y/targets")) {
			HttpResponse<String> answer = http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pulse.port() + path))
					.timeout(Duration.ofSeconds(10))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as("%s: %s", path, answer.body()).isIn(400, 401, 404);
			assertThat(answer.body()).as(path).doesNotContain("victim.invalid");
		}
		String before = pulse.api().withToken(WRITE).get("/api/targets/victim").body();
		for (String path : List.of("/api;x=y/targets/victim", "/%61pi/targets/victim", "/api/targets;x=y/victim",
				"/api//targets/victim")) {
			HttpResponse<String> answer = http
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pulse.port() + path))
					.timeout(Duration.ofSeconds(10))
					.header("Content-Type", "application/json")
					.PUT(HttpRequest.BodyPublishers.ofString(VALID_TARGET))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as("PUT %s: %s", path, answer.body()).isIn(400, 401, 404);
		}
		assertThat(pulse.api().withToken(WRITE).get("/api/targets/victim").body()).isEqualTo(before);
	}

	/** Path parameters would be dropped by the mappings: refused, even with the token. */
	@Test
	void pathParametersShouldBeRefusedEvenWithTheWriteToken() throws Exception {
		String before = pulse.api().withToken(WRITE).get("/api/targets/victim").body();
		HttpResponse<String> answer = http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pulse.port() + "/api/targets/victim;b=c%3B"))
				.timeout(Duration.ofSeconds(10))
				.header("Content-Type", "application/json")
				.header("Authorization", "Bearer " + WRITE)
				.PUT(HttpRequest.BodyPublishers.ofString(VALID_TARGET))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
		assertThat(answer.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(pulse.api().withToken(WRITE).get("/api/targets/victim").body()).isEqualTo(before);
	}

	/** {@code /api/**} and every actuator endpoint not documented as open. */
	private static boolean needsReadToken(String pattern) {
		if (pattern.startsWith("/api/")) {
			return true;
		}
		if (!pattern.startsWith("/actuator/")) {
			return false;
		}
		String id = pattern.substring("/actuator/".length()).split("/", 2)[0];
		return !OPEN_ACTUATOR.contains(id);
	}

	private static String describe(@Nullable String token) {
		return (token == null) ? "no token" : (token.equals(READ) ? "the read token" : "a wrong token");
	}

	/** One call; the body is read only in part, so the event stream does not hold it. */
	private static Answer call(Route route, @Nullable String token) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + pulse.port() + route.path(VALUES)))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.method(route.method().name(), route.mutating() ? HttpRequest.BodyPublishers.ofString(body(route))
					: HttpRequest.BodyPublishers.noBody());
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
		try (InputStream body = response.body()) {
			String contentType = response.headers().firstValue("Content-Type").orElse("");
			String text = contentType.startsWith("text/event-stream") ? ""
					: new String(body.readNBytes(4096), StandardCharsets.UTF_8);
			return new Answer(response.statusCode(), contentType, text);
		}
	}

	private static String body(Route route) {
		return route.pattern().startsWith("/api/conditions")
				? "{\"conditions\": [\"[STATUS] == 200\"], \"response\": {\"status\": 200}}" : VALID_TARGET;
	}

	record Answer(int status, String contentType, String body) {
	}

}
