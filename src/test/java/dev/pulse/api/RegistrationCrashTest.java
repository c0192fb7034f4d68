package dev.pulse.api;

import java.io.File;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.pulse.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pulse never loses an acknowledged registration: a real Pulse process is killed with
 * SIGKILL while registrations are in flight, restarted on the same SQLite file, and every
 * registration it had answered 2xx must be there. Bounded: a few iterations, each with
 * its own deadline.
 */
class RegistrationCrashTest {

	private static final int ITERATIONS = 6;

	private static final String TOKEN = "crash-test-token";

	/** The last answer that was not 2xx, for the failure message. */
	private static final java.util.concurrent.atomic.AtomicReference<String> refused = new java.util.concurrent.atomic.AtomicReference<>();

	@TempDir
	Path dir;

	@Test
	void acknowledgedRegistrationsShouldSurviveKillDashNine() throws Exception {
		Path database = this.dir.resolve("pulse.db");
		Set<String> acknowledged = ConcurrentHashMap.newKeySet();
		AtomicInteger counter = new AtomicInteger();
		for (int iteration = 0; iteration < ITERATIONS; iteration++) {
			int port = freePort();
			Process pulse = start(database, port, "run-" + iteration);
			try {
				ApiClient api = new ApiClient(port).withToken(TOKEN);
				awaitReady(api, pulse);
				assertThat(registeredNames(api)).as("iteration %d: every acknowledged registration", iteration)
					.containsAll(acknowledged);
				registerUntilKilled(api, pulse, acknowledged, counter);
			}
			finally {
				pulse.destroyForcibly();
				pulse.waitFor(10, TimeUnit.SECONDS);
			}
		}
		int port = freePort();
		Process last = start(database, port, "final");
		try {
			ApiClient api = new ApiClient(port).withToken(TOKEN);
			awaitReady(api, last);
			assertThat(registeredNames(api)).containsAll(acknowledged);
			assertThat(acknowledged).as("the test registered something; last refusal: %s", refused.get())
				.hasSizeGreaterThan(ITERATIONS);
		}
		finally {
			last.destroyForcibly();
			last.waitFor(10, TimeUnit.SECONDS);
		}
	}

	/** Four writers register as fast as they can; SIGKILL lands at a random moment. */
	private static void registerUntilKilled(ApiClient api, Process pulse, Set<String> acknowledged,
			AtomicInteger counter) throws InterruptedException {
		AtomicBoolean stop = new AtomicBoolean();
		java.util.concurrent.atomic.AtomicReference<String> refused = RegistrationCrashTest.refused;
		ExecutorService writers = Executors.newFixedThreadPool(4);
		for (int i = 0; i < 4; i++) {
			writers.execute(() -> {
				while (!stop.get()) {
					String name = "crash-" + counter.incrementAndGet();
					try {
						HttpResponse<String> response = api.put("/api/targets/" + name,
								"{\"url\": \"http://127.0.0.1:9/\", \"interval\": \"60s\", \"timeout\": \"1s\", \"enabled\": false}");
						if (response.statusCode() / 100 == 2) {
							acknowledged.add(name);
						}
						else {
							refused.set(response.statusCode() + " " + response.body());
						}
					}
					catch (Exception ex) {
						// The process died mid-request: that registration was never
						// acknowledged.
					}
				}
			});
		}
		Thread.sleep(ThreadLocalRandom.current().nextLong(200, 800));
		pulse.destroyForcibly();
		pulse.waitFor(10, TimeUnit.SECONDS);
		stop.set(true);
		writers.shutdown();
		assertThat(writers.awaitTermination(20, TimeUnit.SECONDS)).isTrue();
	}

	private static List<String> registeredNames(ApiClient api) throws Exception {
		JsonNode targets = api.getJson("/api/targets").path("targets");
		List<String> names = new ArrayList<>();
		targets.forEach(target -> {
			if (target.path("source").asString().equals("api")) {
				names.add(target.path("name").asString());
			}
		});
		return names;
	}

	private static void awaitReady(ApiClient api, Process pulse) {
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
			assertThat(pulse.isAlive()).as("Pulse exited during start-up").isTrue();
			try {
				return api.get("/actuator/health/readiness").statusCode() == 200;
			}
			catch (Exception ex) {
				return false;
			}
		});
	}

	private Process start(Path database, int port, String name) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), "dev.pulse.PulseApplication", "--server.port=" + port,
				"--spring.profiles.active=crash", "--pulse.api.write-token=" + TOKEN,
				"--spring.datasource.url=jdbc:sqlite:" + database
						+ "?journal_mode=WAL&synchronous=FULL&busy_timeout=5000",
				// Loopback is denied to API targets by default (SSRF guard); these are
				// never probed.
				"--pulse.security.ssrf.allow=127.0.0.0/8", "--logging.level.root=WARN");
		File log = this.dir.resolve(name + ".log").toFile();
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
