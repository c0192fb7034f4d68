package dev.pulse.store;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import dev.pulse.target.PulseProperties;
import dev.pulse.target.Target;
import dev.pulse.target.TargetProperties;
import dev.pulse.target.TargetRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Loading stored registrations into a registry built from plain objects, over a store in
 * a temporary SQLite file.
 */
class RegistrationLoaderTest {

	private static final PulseProperties.Defaults DEFAULTS = new PulseProperties.Defaults(Duration.ofSeconds(10),
			Duration.ofSeconds(5), null, List.of("[STATUS] == 200"), null);

	@TempDir
	Path directory;

	private HikariDataSource dataSource;

	private final SkippedRegistrations skipped = new SkippedRegistrations();

	private TargetStore store;

	private final Logger logger = (Logger) LoggerFactory.getLogger(RegistrationLoader.class);

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	@BeforeEach
	void open() {
		this.dataSource = TestDatabases.open(TestDatabases.sqliteUrl(this.directory.resolve("pulse.db")));
		TestDatabases.migrate(this.dataSource);
		this.store = TestDatabases.store(this.dataSource, Clock.systemUTC());
		this.logs.start();
		this.logger.addAppender(this.logs);
	}

	@AfterEach
	void close() {
		this.logger.detachAppender(this.logs);
		this.dataSource.close();
	}

	@Test
	void loadsEveryStoredRegistrationAsAnApiTarget() {
		this.store.save("api-b", target("http://127.0.0.1:9002/", Duration.ofSeconds(2), Duration.ofSeconds(1)));
		this.store.save("api-a", target("http://127.0.0.1:9001/", null, null));
		TargetRegistry registry = registry(Map.of("self", target("http://127.0.0.1:8080/heartbeat", null, null)));
		assertThat(new RegistrationLoader(this.store, registry, this.skipped).load()).containsExactly("api-a", "api-b");
		assertThat(registry.all())
			.extracting(Target::name, Target::source, Target::url, Target::interval, Target::timeout)
			.containsExactly(
					tuple("api-a", Target.Source.API, URI.create("http://127.0.0.1:9001/"), Duration.ofSeconds(10),
							Duration.ofSeconds(5)),
					tuple("api-b", Target.Source.API, URI.create("http://127.0.0.1:9002/"), Duration.ofSeconds(2),
							Duration.ofSeconds(1)),
					tuple("self", Target.Source.CONFIG, URI.create("http://127.0.0.1:8080/heartbeat"),
							Duration.ofSeconds(10), Duration.ofSeconds(5)));
		assertThat(logLines())
			.containsExactly("INFO Loaded 2 registered target(s) from the store (2 stored, 0 skipped)");
	}

	@Test
	void skipsAndLogsARegistrationThatNoLongerResolvesButKeepsItStored() {
		// Valid when accepted under longer defaults; the 5s default timeout now exceeds
		// its 1s interval, and its URL breaks a rule as well.
		this.store.save("slow", target("ftp://127.0.0.1/", Duration.ofSeconds(1), null));
		this.store.save("fine", target("http://127.0.0.1:9001/", null, null));
		TargetRegistry registry = registry(Map.of());
		assertThat(new RegistrationLoader(this.store, registry, this.skipped).load()).containsExactly("fine");
		assertThat(registry.all()).extracting(Target::name).containsExactly("fine");
		assertThat(this.store.find("slow")).isPresent();
		assertThat(this.skipped.all())
			.extracting(SkippedRegistrations.Skipped::name, SkippedRegistrations.Skipped::reason)
			.containsExactly(tuple("slow", "invalid"));
		assertThat(this.skipped.all().get(0).detail()).contains("must be an http, https, tcp, tls, grpc or grpcs URL");
		assertThat(logLines())
			.containsExactly("WARN Registered target 'slow' is not loaded, it no longer passes validation "
					+ "(url: 'ftp://127.0.0.1/' must be an http, https, tcp, tls, grpc or grpcs URL with a host (tcp://host:port); "
					+ "timeout: timeout (5s) must not exceed the interval (1s)); it stays in the store "
					+ "until it is registered again with a valid definition",
					"INFO Loaded 1 registered target(s) from the store (2 stored, 1 skipped)");
	}

	@Test
	void aConfiguredTargetWinsANameClash() {
		this.store.save("checkout", target("http://127.0.0.1:9001/registered", null, null));
		TargetRegistry registry = registry(Map.of("checkout", target("http://127.0.0.1:9001/configured", null, null)));
		assertThat(new RegistrationLoader(this.store, registry, this.skipped).load()).isEmpty();
		assertThat(registry.all()).extracting(Target::name, Target::source, Target::url)
			.containsExactly(tuple("checkout", Target.Source.CONFIG, URI.create("http://127.0.0.1:9001/configured")));
		assertThat(this.store.find("checkout")).isPresent();
		assertThat(this.skipped.all()).extracting(SkippedRegistrations.Skipped::reason)
			.containsExactly("shadowed-by-config");
		assertThat(logLines()).containsExactly(
				"WARN Registered target 'checkout' is not loaded: a configured target has the same name and wins; "
						+ "it stays in the store",
				"INFO Loaded 0 registered target(s) from the store (1 stored, 1 skipped)");
	}

	@Test
	void anEmptyStoreLoadsNothing() {
		TargetRegistry registry = registry(Map.of());
		assertThat(new RegistrationLoader(this.store, registry, this.skipped).load()).isEmpty();
		assertThat(registry.size()).isZero();
		assertThat(logLines())
			.containsExactly("INFO Loaded 0 registered target(s) from the store (0 stored, 0 skipped)");
	}

	private static TargetRegistry registry(Map<String, TargetProperties> configured) {
		return new TargetRegistry(new PulseProperties(DEFAULTS, configured));
	}

	private static TargetProperties target(String url, Duration interval, Duration timeout) {
		return new TargetProperties(null, url, "GET", Map.of(), null, interval, timeout, null, null, 100, false,
				new TargetProperties.Tls(false), true, null);
	}

	private List<String> logLines() {
		return this.logs.list.stream()
			.filter((event) -> event.getLevel().isGreaterOrEqual(Level.INFO))
			.map((event) -> event.getLevel() + " " + event.getFormattedMessage())
			.toList();
	}

}
