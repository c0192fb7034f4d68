package dev.pulse.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.pulse.support.ApiClient;
import dev.pulse.target.TargetProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stored registration that no longer validates is not loaded, but it is not lost from
 * sight: it is listed with its reason, and a DELETE removes it from the store.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "pulse.api.write-token=s3cret", "pulse.security.ssrf.allow=127.0.0.0/8" })
@ActiveProfiles("test")
class SkippedRegistrationApiTest {

	@LocalServerPort
	private int port;

	@Autowired
	private TargetStore store;

	@DynamicPropertySource
	static void seededStore(DynamicPropertyRegistry registry) {
		Path file;
		try {
			file = Files.createTempDirectory("pulse-skipped").resolve("pulse.db");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		String url = TestDatabases.sqliteUrl(file);
		try (HikariDataSource dataSource = TestDatabases.open(url)) {
			TestDatabases.migrate(dataSource);
			TargetStore seed = TestDatabases.store(dataSource, Clock.systemUTC());
			// Accepted once, invalid under today's rules: no http(s) URL, timeout over
			// interval.
			seed.save("legacy",
					new TargetProperties(null, "ftp://127.0.0.1/", "GET", Map.of(), null, Duration.ofSeconds(1),
							Duration.ofSeconds(5), null, null, 100, false, new TargetProperties.Tls(false), true,
							null));
			seed.save("legacy-2", new TargetProperties(null, "ftp://127.0.0.1/", "GET", Map.of(), null, null, null,
					null, null, 100, false, new TargetProperties.Tls(false), true, null));
		}
		registry.add("spring.datasource.url", () -> url);
	}

	@Test
	void anInvalidStoredRegistrationShouldBeListedAndDeletableAndReplaceable() throws Exception {
		ApiClient api = new ApiClient(this.port).withToken("s3cret");

		JsonNode listed = api.getJson("/api/registrations/invalid").path("registrations");
		assertThat(listed.findValuesAsString("name")).containsExactly("legacy", "legacy-2");
		assertThat(listed.findValuesAsString("reason")).containsOnly("invalid");
		assertThat(listed.get(0).path("detail").asString())
			.contains("must be an http, https, tcp, tls, grpc or grpcs URL")
			.contains("must not exceed the interval");
		assertThat(api.get("/api/targets/legacy").statusCode()).as("not loaded").isEqualTo(404);

		assertThat(api.delete("/api/targets/legacy").statusCode()).isEqualTo(204);
		assertThat(this.store.find("legacy")).as("gone from the store").isEmpty();
		assertThat(api.delete("/api/targets/legacy").statusCode()).isEqualTo(404);

		assertThat(api.put("/api/targets/legacy-2", "{\"url\": \"http://127.0.0.1:1/\"}").statusCode()).isEqualTo(200);
		assertThat(api.getJson("/api/registrations/invalid").path("registrations")).isEmpty();
		assertThat(api.get("/api/targets/legacy-2").statusCode()).isEqualTo(200);
	}

}
