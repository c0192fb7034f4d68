package dev.pulse.target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.pulse.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A running Pulse reads pulse.targets-file at start and follows its changes. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class TargetsFileApiTest {

	private static final Path file;

	static {
		try {
			file = Files.createTempDirectory("pulse-targets-file").resolve("targets.yaml");
			Files.writeString(file, "from-file:\n  url: http://127.0.0.1:1/health\n  interval: 2s\n  timeout: 1s\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void targetsFile(DynamicPropertyRegistry registry) {
		registry.add("pulse.targets-file", file::toString);
		registry.add("pulse.targets-file-poll-interval", () -> "200ms");
	}

	@Test
	void targetsOfTheFileShouldBeServedAndFollowItsChanges() throws Exception {
		ApiClient api = new ApiClient(this.port);
		assertThat(api.getJson("/api/targets/from-file").path("source").asString()).isEqualTo("config");
		assertThat(api.getJson("/api/targets/from-file").path("interval").asString()).isEqualTo("2s");

		Path next = file.resolveSibling("targets.yaml.next");
		Files.writeString(next, "added:\n  url: http://127.0.0.1:1/other\n");
		Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

		await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/api/targets/added").statusCode() == 200);
		assertThat(api.get("/api/targets/from-file").statusCode()).as("gone with the file's entry").isEqualTo(404);
	}

}
