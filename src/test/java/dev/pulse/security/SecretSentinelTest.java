package dev.pulse.security;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.bind.annotation.RequestMethod;

import dev.pulse.security.Routes.Route;
import dev.pulse.support.ApiClient;
import dev.pulse.support.FaultServer;
import dev.pulse.support.RunningPulse;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Secrets are write-only: a sentinel string in a target's headers, request body, URL
 * user-info and secret query parameters ({@code token}, {@code api_key}) is run through
 * successes and failures (a healthy WireMock, a server answering 503, a refused port, a
 * server that resets), registrations refused for other reasons, replacement and removal.
 * Then every GET route (enumerated, not listed), the event stream, the exposed actuator
 * endpoints, the on-demand probe answers and the whole log output are searched for it: it
 * must never appear. The same routes must answer without a token, as reads are open when
 * no read token is set.
 * <p>
 * In a URL, user-info and the values of query parameters named as secrets are hidden (see
 * {@code UrlRedaction}); other query parameters are shown.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretSentinelTest {

	private static final String SENTINEL = "Sntnl7f2cQ";

	/** The sentinel as it could leak in encoded form too: HTTP Basic of the user-info. */
	private static final List<String> FORMS = List.of(SENTINEL,
			Base64.getEncoder().encodeToString(("u" + SENTINEL + ":p" + SENTINEL).getBytes(StandardCharsets.UTF_8)));

	private static final String TOKEN = "sentinel-write-token";

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final WireMockServer wireMock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());

	private static final FaultServer failing = FaultServer.start(FaultServer.status(503));

	private static final FaultServer resetting = FaultServer.start(FaultServer.resetAfterRequest());

	private static @Nullable RunningPulse pulse;

	private static final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

	private static @Nullable CompletableFuture<Void> stream;

	@BeforeAll
	static void start() {
		wireMock.start();
		wireMock.stubFor(any(anyUrl()).willReturn(okJson("{\"status\":\"UP\"}")));
		pulse = RunningPulse.start("pulse.api.write-token=" + TOKEN, "pulse.security.ssrf.allow=127.0.0.0/8",
				"logging.level.dev.pulse=DEBUG");
	}

	@AfterAll
	static void stop() {
		if (stream != null) {
			stream.cancel(true);
		}
		if (pulse != null) {
			pulse.close();
		}
		wireMock.stop();
		failing.close();
		resetting.close();
	}

	@Test
	void theSentinelShouldNeverBeAnsweredStreamedOrLogged(CapturedOutput output) throws Exception {
		ApiClient api = pulse.api().withToken(TOKEN);
		subscribe();
		Map<String, Integer> ports = Map.of("secret-ok", wireMock.port(), "secret-503", failing.port(),
				"secret-refused", FaultServer.refusedPort(), "secret-reset", resetting.port());
		List<String> answers = new ArrayList<>();
		for (Map.Entry<String, Integer> target : ports.entrySet()) {
			HttpResponse<String> created = api.put("/api/targets/" + target.getKey(), secretTarget(target.getValue()));
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
			answers.add(created.body());
		}
		// Refused for another reason, with the secrets in the body.
		HttpResponse<String> refused = api.put("/api/targets/secret-refused-too",
				secretTarget(wireMock.port()).replace("\"interval\": \"2s\"", "\"interval\": \"soon\""));
		assertThat(refused.statusCode()).isEqualTo(400);
		answers.add(refused.body());
		HttpResponse<String> badHeader = api.put("/api/targets/secret-bad-header",
				"{\"url\": \"http://127.0.0.1:1/\", \"headers\": {\"X-Key\": \"\\r\\n" + SENTINEL + "\"}}");
		assertThat(badHeader.statusCode()).isEqualTo(400);
		answers.add(badHeader.body());

		await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
			for (String name : ports.keySet()) {
				if (api.getJson("/api/targets/" + name).path("changes").isEmpty()) {
					return false;
				}
			}
			return true;
		});
		assertThat(api.getJson("/api/targets/secret-ok").path("state").asString()).isEqualTo("HEALTHY");
		assertThat(api.getJson("/api/targets/secret-503").path("state").asString()).isEqualTo("UNHEALTHY");
		for (String name : ports.keySet()) {
			answers.add(api.post("/api/targets/" + name + "/probe", "").body());
		}
		assertThat(wireMock.getAllServeEvents()).as("the healthy target was really probed").isNotEmpty();
		HttpResponse<String> replaced = api.put("/api/targets/secret-503", secretTarget(failing.port()));
		assertThat(replaced.statusCode()).isEqualTo(200);
		answers.add(replaced.body());

		List<String> pages = readEveryGetRoute(ports.keySet());
		assertThat(String.join("\n", pages)).as("the URL is shown, without its user-info")
			.contains("http://******@127.0.0.1:" + wireMock.port() + "/health?probe=1");
		assertThat(api.delete("/api/targets/secret-reset").statusCode()).isEqualTo(204);
		await().atMost(Duration.ofSeconds(5)).until(() -> String.join("\n", events).contains("event:target-removed"));
		String streamed = String.join("\n", events);
		assertThat(streamed).as("the stream was read").contains("event:target-registered", "event:target-state");

		assertThat(output.getAll()).as("the log was captured").contains("Target secret-503 is UNHEALTHY");
		SoftAssertions softly = new SoftAssertions();
		for (String form : FORMS) {
			softly.assertThat(String.join("\n", answers)).as("write answers").doesNotContain(form);
			for (String page : pages) {
				softly.assertThat(page).doesNotContain(form);
			}
			softly.assertThat(streamed).as("event stream").doesNotContain(form);
			softly.assertThat(output.getAll()).as("log output").doesNotContain(form);
		}
		softly.assertAll();
	}

	/** A target whose every secret place holds the sentinel. */
	private static String secretTarget(int port) {
		return """
				{"url": "http://u%1$s:p%1$s@127.0.0.1:%2$d/health?probe=1&token=%1$s&api_key=%1$s", "method": "POST",
				 "body": "token=%1$s", "interval": "2s", "timeout": "1500ms",
				 "headers": {"Authorization": "Bearer %1$s", "X-Api-Key": "%1$s"}}""".formatted(SENTINEL, port);
	}

	/**
	 * Every GET route with every secret target's name (and service) filled in; each must
	 * be readable without a token. The event stream is read by {@link #subscribe()}.
	 */
	private static List<String> readEveryGetRoute(Iterable<String> names) throws Exception {
		List<Route> gets = Routes.of(pulse.context())
			.stream()
			.filter((route) -> route.method() == RequestMethod.GET)
			.filter((route) -> !route.pattern().equals("/api/events"))
			.toList();
		assertThat(gets).extracting(Route::pattern)
			.contains("/api/targets/{name}", "/actuator/prometheus", "/actuator/connections", "/actuator/health");
		List<String> pages = new ArrayList<>();
		SoftAssertions softly = new SoftAssertions();
		for (String name : names) {
			for (Route route : gets) {
				String path = route.path(Map.of("name", name, "service", name, "path", "liveness"));
				HttpResponse<String> page = http
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pulse.port() + path))
						.timeout(Duration.ofSeconds(10))
						.build(), HttpResponse.BodyHandlers.ofString());
				softly.assertThat(page.statusCode()).as("GET %s without a token", path).isNotIn(401, 403);
				pages.add("GET " + path + " -> " + page.statusCode() + "\n" + page.body());
			}
		}
		softly.assertAll();
		return pages;
	}

	/** Reads {@code /api/events} on a client thread until the test ends. */
	private static void subscribe() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pulse.port() + "/api/events"))
			.header("Accept", "text/event-stream")
			.build();
		HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).as("the event stream is open without a token").isEqualTo(200);
		stream = CompletableFuture.runAsync(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
				for (String line = lines.readLine(); line != null; line = lines.readLine()) {
					events.add(line);
				}
			}
			catch (Exception ex) {
				// The stream ends when Pulse stops.
			}
		});
	}

}
