package dev.pulse.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.pulse.support.ApiClient;
import dev.pulse.support.FaultServer;
import dev.pulse.support.PulseLauncher;
import dev.pulse.support.PulseProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM while every probe hangs: a real Pulse whose targets sit on a server that
 * accepts and never answers, with an on-demand probe and an event stream open, must shut
 * down gracefully well inside the grace period the Helm chart gives it
 * ({@code terminationGracePeriodSeconds} 30 s, of which Spring gets 25 s per phase), and
 * leave its store whole for the next start.
 */
class GracefulShutdownTest {

	private static final String TOKEN = "shutdown-test-token";

	/** The Helm chart's {@code spring.lifecycle.timeout-per-shutdown-phase}. */
	private static final Duration SHUTDOWN_PHASE = Duration.ofSeconds(25);

	/** The on-demand probe's timeout: graceful shutdown waits for that request. */
	private static final Duration ON_DEMAND_TIMEOUT = Duration.ofSeconds(3);

	/** JVM teardown on a busy 2-core machine, on top of the drained request. */
	private static final Duration MARGIN = Duration.ofSeconds(5);

	private static final int HANGING_TARGETS = 5;

	@TempDir
	Path dir;

	@Test
	void sigtermWithHangingProbesShouldExitGracefullyWithinTheGracePeriodAndKeepTheStore() throws Exception {
		PulseLauncher launcher = PulseLauncher.plain();
		try (FaultServer hang = FaultServer.start(FaultServer.hangAfterAccept())) {
			List<String> arguments = List.of("--spring.datasource.url=jdbc:sqlite:" + this.dir.resolve("pulse.db"),
					"--spring.profiles.active=crash", "--pulse.api.write-token=" + TOKEN,
					"--pulse.security.ssrf.allow=127.0.0.0/8",
					"--spring.lifecycle.timeout-per-shutdown-phase=" + SHUTDOWN_PHASE.toSeconds() + "s",
					"--pulse.targets.configured-hang.url=" + hang.url("/"),
					"--pulse.targets.configured-hang.interval=10s", "--pulse.targets.configured-hang.timeout=8s",
					"--logging.level.dev.pulse.store=INFO");
			List<String> registered = new ArrayList<>();
			try (PulseProcess pulse = launcher.start(this.dir.resolve("first.log"), arguments)) {
				ApiClient api = awaitReady(pulse).withToken(TOKEN);
				for (int i = 0; i < HANGING_TARGETS; i++) {
					register(api, "hang-" + i, hang, "30s", "20s", true);
					registered.add("hang-" + i);
				}
				// Enabled: a disabled target is never probed, on demand neither (409).
				register(api, "on-demand", hang, "10s", ON_DEMAND_TIMEOUT.toSeconds() + "s", true);
				registered.add("on-demand");
				// Each registered target is probed within a second, and hangs.
				await().atMost(Duration.ofSeconds(10)).until(() -> hang.openConnections() >= HANGING_TARGETS);
				HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
				HttpResponse<Stream<String>> events = http.send(
						HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + pulse.port() + "/api/events")).build(),
						HttpResponse.BodyHandlers.ofLines());
				assertThat(events.statusCode()).isEqualTo(200);
				int open = hang.openConnections();
				CompletableFuture<HttpResponse<String>> onDemand = http.sendAsync(HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + pulse.port() + "/api/targets/on-demand/probe"))
					.header("Authorization", "Bearer " + TOKEN)
					.POST(HttpRequest.BodyPublishers.noBody())
					.build(), HttpResponse.BodyHandlers.ofString());
				await().atMost(Duration.ofSeconds(5)).until(() -> hang.openConnections() > open);

				int hanging = hang.openConnections();
				long start = System.nanoTime();
				int exitCode = pulse.terminate(SHUTDOWN_PHASE.plus(Duration.ofSeconds(10)));
				Duration took = Duration.ofNanos(System.nanoTime() - start);
				System.out.printf(
						"SIGTERM with %d hanging connections (scheduled and on-demand probes) and an event stream: exit %d "
								+ "after %d ms%n",
						hanging, exitCode, took.toMillis());

				// 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal.
				assertThat(exitCode).as("exit code; log:\n%s", pulse.logTail(40)).isEqualTo(143);
				assertThat(took).as("time from SIGTERM to exit").isLessThan(ON_DEMAND_TIMEOUT.plus(MARGIN));
				assertThat(pulse.log()).contains("Graceful shutdown complete")
					.doesNotContain("Graceful shutdown aborted");
				// The request in flight was drained: answered with its probe's result.
				HttpResponse<String> drained = onDemand.get(5, TimeUnit.SECONDS);
				assertThat(drained.statusCode()).as(drained.body()).isEqualTo(200);
				assertThat(ApiClient.parse(drained.body()).path("reason").asString()).isEqualTo("timeout");
				events.body().close();
			}
			try (PulseProcess again = launcher.start(this.dir.resolve("second.log"), arguments)) {
				JsonNode targets = awaitReady(again).getJson("/api/targets").path("targets");
				List<String> names = new ArrayList<>();
				targets.forEach(target -> {
					if (target.path("source").asString().equals("api")) {
						names.add(target.path("name").asString());
					}
				});
				assertThat(names).containsExactlyInAnyOrderElementsOf(registered);
				assertThat(again.log())
					.contains("Loaded " + registered.size() + " registered target(s) from the store");
			}
		}
	}

	private static void register(ApiClient api, String name, FaultServer server, String interval, String timeout,
			boolean enabled) throws Exception {
		HttpResponse<String> response = api.put("/api/targets/" + name,
				"{\"url\": \"" + server.url("/") + "\", \"interval\": \"" + interval + "\", \"timeout\": \"" + timeout
						+ "\", \"enabled\": " + enabled + ", \"retry\": {\"max-attempts\": 1}}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
	}

	private static ApiClient awaitReady(PulseProcess pulse) throws InterruptedException {
		assertThat(pulse.awaitPhase(PulseProcess.Phase.LISTENING, Duration.ofSeconds(60)))
			.as("Pulse listens; log:\n%s", pulse.logTail(40))
			.isTrue();
		ApiClient api = new ApiClient(pulse.port());
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
			assertThat(pulse.isAlive()).as("Pulse exited during start-up").isTrue();
			try {
				return api.get("/actuator/health/readiness").statusCode() == 200;
			}
			catch (Exception ex) {
				return false;
			}
		});
		return api;
	}

}
