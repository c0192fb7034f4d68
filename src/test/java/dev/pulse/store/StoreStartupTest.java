package dev.pulse.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.pulse.PulseApplication;
import dev.pulse.target.Target;
import dev.pulse.target.TargetProperties;
import dev.pulse.target.TargetRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Start-up with the whole application: a store that cannot be read stops it, rather than
 * letting Pulse run without the registrations it has acknowledged; a readable one is
 * loaded before the first probe.
 */
class StoreStartupTest {

	@TempDir
	Path directory;

	@Test
	void aCorruptSqliteFileStopsStartUpAndIsLeftAsItWas() throws Exception {
		Path file = this.directory.resolve("pulse.db");
		byte[] garbage = new byte[8192];
		for (int i = 0; i < garbage.length; i++) {
			garbage[i] = (byte) (i * 31 + 7);
		}
		Files.write(file, garbage);
		assertThatException().isThrownBy(() -> start(TestDatabases.sqliteUrl(file))).satisfies((ex) -> {
			assertThat(NestedExceptionUtils.getMostSpecificCause(ex))
				.hasMessage("[SQLITE_NOTADB] File opened that is not a database file (file is not a database)");
			assertThat(cause(ex, StoreUnavailableException.class))
				.hasMessage("Cannot open or migrate the store jdbc:sqlite:" + file
						+ ": [SQLITE_NOTADB] File opened that is not a database file (file is not a database)"
						+ "; Pulse does not start without its registered targets");
		});
		assertThat(Files.readAllBytes(file)).isEqualTo(garbage);
	}

	@Test
	void anUnreachablePostgresqlStopsStartUpWithoutShowingThePassword() {
		// Port 1 on the loopback: nothing listens, so the connection is refused at once.
		String url = "jdbc:postgresql://127.0.0.1:1/pulse?user=pulse&password=s3cr3t&connectTimeout=2";
		assertThatException().isThrownBy(() -> start(url)).satisfies((ex) -> {
			assertThat(NestedExceptionUtils.getMostSpecificCause(ex)).hasMessage("Connection refused");
			assertThat(cause(ex, StoreUnavailableException.class))
				.hasMessage("Cannot open or migrate the store jdbc:postgresql://127.0.0.1:1/pulse"
						+ ": Connection refused; Pulse does not start without its registered targets");
		});
	}

	@Test
	void anUnreadableRegistrationStopsStartUp() {
		String url = TestDatabases.sqliteUrl(this.directory.resolve("pulse.db"));
		try (HikariDataSource dataSource = TestDatabases.open(url)) {
			TestDatabases.migrate(dataSource);
			JdbcClient.create(dataSource)
				.sql("INSERT INTO target_registration (name, definition, created_at, updated_at) VALUES (?, ?, 0, 0)")
				.params("broken", "{\"url\":")
				.update();
		}
		assertThatException().isThrownBy(() -> start(url))
			.satisfies((ex) -> assertThat(cause(ex, UnreadableRegistrationException.class))
				.hasMessageStartingWith("The store's registration 'broken' has an unreadable definition: "));
	}

	@Test
	void storedRegistrationsAreInTheRegistryOnceStarted() {
		String url = TestDatabases.sqliteUrl(this.directory.resolve("pulse.db"));
		// A host name, which the SSRF rules for API targets let through; never probed.
		TargetProperties stored = new TargetProperties(null, "http://stored.invalid/", "GET", Map.of(), null, null,
				null, null, null, 100, false, new TargetProperties.Tls(false), false, null);
		try (HikariDataSource dataSource = TestDatabases.open(url)) {
			TestDatabases.migrate(dataSource);
			TestDatabases.store(dataSource, Clock.systemUTC()).save("stored", stored);
		}
		try (ConfigurableApplicationContext context = start(url)) {
			assertThat(context.getBean(TargetRegistry.class).find("stored")).get()
				.extracting(Target::source, Target::enabled)
				.containsExactly(Target.Source.API, false);
		}
	}

	private static ConfigurableApplicationContext start(String url) {
		return new SpringApplicationBuilder(PulseApplication.class).run("--spring.profiles.active=test",
				"--server.port=0", "--spring.datasource.url=" + url);
	}

	private static Throwable cause(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return cause;
			}
		}
		throw new AssertionError("No " + type.getSimpleName() + " in the causes of " + ex);
	}

}
