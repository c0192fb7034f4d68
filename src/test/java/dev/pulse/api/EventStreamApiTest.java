package dev.pulse.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import dev.pulse.support.ApiClient;
import dev.pulse.support.FaultServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /api/events}: registrations and state changes as server-sent events,
 * resumable.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "pulse.api.write-token=s3cret", "pulse.security.ssrf.allow=127.0.0.0/8" })
@ActiveProfiles("test")
class EventStreamApiTest {

	private static final FaultServer healthy = FaultServer.start(FaultServer.healthy());

	@LocalServerPort
	private int port;

	@Autowired
	private EventHub hub;

	@AfterAll
	static void stopServer() {
		healthy.close();
	}

	/**
	 * The stream's lines, read on a thread of the HTTP client, until the test cancels it.
	 */
	private Subscription subscribe(String lastEventId) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/events"))
			.header("Accept", "text/event-stream");
		if (lastEventId != null) {
			request.header("Last-Event-ID", lastEventId);
		}
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		CompletableFuture<HttpResponse<Stream<String>>> response = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.build()
			.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
		CompletableFuture<Void> reading = response.thenAcceptAsync(r -> r.body().forEach(lines::add));
		return new Subscription(lines, reading);
	}

	record Subscription(BlockingQueue<String> lines, CompletableFuture<Void> reading) {

		/** Lines up to and including the data line of the next event of a type. */
		List<String> nextEvent(String type) throws InterruptedException {
			List<String> event = new ArrayList<>();
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			boolean typed = false;
			while (System.nanoTime() < deadline) {
				String line = this.lines.poll(200, TimeUnit.MILLISECONDS);
				if (line == null) {
					continue;
				}
				event.add(line);
				typed |= line.equals("event:" + type);
				if (typed && line.startsWith("data:")) {
					return event;
				}
				if (line.isEmpty()) {
					event.clear();
					typed = false;
				}
			}
			throw new AssertionError("no " + type + " event within 10 s; saw " + event);
		}

		void cancel() {
			this.reading.cancel(true);
		}

	}

	private static String idOf(List<String> event) {
		return event.stream().filter(line -> line.startsWith("id:")).findFirst().orElseThrow().substring(3);
	}

	@Test
	void registrationsAndStateChangesShouldStreamAndResume() throws Exception {
		Subscription stream = subscribe(null);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.hub.subscribers() >= 1);
		ApiClient api = new ApiClient(this.port).withToken("s3cret");

		assertThat(api
			.put("/api/targets/ev-a",
					"{\"url\": \"" + healthy.url("/a") + "\", \"interval\": \"2s\", \"timeout\": \"1s\"}")
			.statusCode()).isEqualTo(201);
		List<String> registered = stream.nextEvent("target-registered");
		List<String> state = stream.nextEvent("target-state");
		api.delete("/api/targets/ev-a");
		List<String> removed = stream.nextEvent("target-removed");
		stream.cancel();

		assertThat(String.join("\n", registered)).contains("\"target\":\"ev-a\"").contains("\"source\":\"api\"");
		assertThat(String.join("\n", state)).contains("\"from\":\"UNKNOWN\"").contains("\"to\":\"HEALTHY\"");
		assertThat(String.join("\n", removed)).contains("\"target\":\"ev-a\"");
		assertThat(Long.parseLong(idOf(removed))).isGreaterThan(Long.parseLong(idOf(registered)));

		Subscription resumed = subscribe(idOf(registered));
		List<String> replayed = resumed.nextEvent("target-removed");
		resumed.cancel();

		assertThat(idOf(replayed)).isEqualTo(idOf(removed));
	}

	@Test
	void aLastEventIdOfAnEarlierRunShouldGetAResetEventThenLiveEvents() throws Exception {
		Subscription stream = subscribe("17");
		List<String> reset = stream.nextEvent("reset");
		ApiClient api = new ApiClient(this.port).withToken("s3cret");
		api.put("/api/targets/ev-reset",
				"{\"url\": \"" + healthy.url("/r") + "\", \"interval\": \"2s\", \"timeout\": \"1s\"}");
		List<String> registered = stream.nextEvent("target-registered");
		api.delete("/api/targets/ev-reset");
		stream.cancel();

		assertThat(String.join("\n", reset)).contains("\"requested\":17").contains("reread the state");
		// Ids count from the start time, so they are far above the 17 of a run before.
		assertThat(Long.parseLong(idOf(registered))).isGreaterThan(Long.parseLong(idOf(reset)))
			.isGreaterThan(1_700_000_000_000L * EventLog.IDS_PER_MILLISECOND);
	}

	@Test
	void invalidLastEventIdShouldAnswer400() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/events"))
				.header("Last-Event-ID", "yesterday")
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(400);
	}

}
