package dev.pulse.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.pulse.target.RetryProperties;
import dev.pulse.target.TargetProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The store's contract, run against both databases it supports by
 * {@link SqliteTargetStoreTest} and {@link PostgresqlTargetStoreTest}. Each database is
 * migrated by Flyway, as at start-up; no Spring context is needed.
 */
abstract class TargetStoreTest {

	static final Instant T0 = Instant.parse("2026-11-25T10:00:00.123Z");

	static TargetProperties target(String url) {
		return new TargetProperties(null, url, "GET", Map.of(), null, null, null, null, null, 100, false,
				new TargetProperties.Tls(false), true, null);
	}

	/** Every field set, each to a value other than its default. */
	static TargetProperties everyField() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Authorization", "Bearer s3cr3t");
		headers.put("X-Quote", "say \"hi\" ü");
		return new TargetProperties("checkout", "https://checkout.internal:8443/health?deep=true", "POST", headers,
				"{\"ping\":true}\n", Duration.ofMillis(1500), Duration.ofMillis(250), Duration.ofNanos(123_456_789),
				List.of("[STATUS] == 200", "[BODY].status == UP", "[RESPONSE_TIME] < 300ms"), 250, true,
				new TargetProperties.Tls(true), false, new RetryProperties(3, Duration.ofMillis(150), 1.5, 0.3,
						Duration.ofSeconds(3), List.of("timeout", "connection-reset", "condition-failed")));
	}

	final MutableClock clock = new MutableClock(T0);

	HikariDataSource dataSource;

	TargetStore store;

	@BeforeEach
	void open() {
		this.dataSource = TestDatabases.open(url());
		TestDatabases.migrate(this.dataSource);
		// PostgreSQL outlives the test: every test starts from an empty table.
		JdbcClient.create(this.dataSource).sql("DELETE FROM target_registration").update();
		JdbcClient.create(this.dataSource).sql("DELETE FROM target_change").update();
		this.store = TestDatabases.store(this.dataSource, this.clock);
	}

	@AfterEach
	void close() {
		if (this.dataSource != null) {
			this.dataSource.close();
		}
	}

	/** The database's URL; a subclass skips the test here when it has none. */
	abstract String url();

	@Test
	void saveCreatesThenReplacesKeepingCreatedAt() {
		assertThat(this.store.save("api", target("http://127.0.0.1:9001/a"))).isTrue();
		assertThat(this.store.find("api")).contains(new Registration("api", target("http://127.0.0.1:9001/a"), T0, T0));
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(this.store.save("api", target("http://127.0.0.1:9001/b"))).isFalse();
		assertThat(this.store.find("api"))
			.contains(new Registration("api", target("http://127.0.0.1:9001/b"), T0, T0.plus(Duration.ofSeconds(5))));
		assertThat(this.store.count()).isEqualTo(1);
	}

	@Test
	void findIsEmptyForAnUnknownName() {
		this.store.save("api", target("http://127.0.0.1:9001/"));
		assertThat(this.store.find("apj")).isEmpty();
	}

	@Test
	void findAllListsInNameOrderWhateverTheCollation() {
		// Code-point order, as the registry lists targets; a locale collation that
		// ignores punctuation would put "ab" first.
		for (String name : List.of("ab", "a1", "a.b", "a-c")) {
			this.store.save(name, target("http://127.0.0.1:9001/" + name));
		}
		assertThat(this.store.findAll()).containsExactly(
				new Registration("a-c", target("http://127.0.0.1:9001/a-c"), T0, T0),
				new Registration("a.b", target("http://127.0.0.1:9001/a.b"), T0, T0),
				new Registration("a1", target("http://127.0.0.1:9001/a1"), T0, T0),
				new Registration("ab", target("http://127.0.0.1:9001/ab"), T0, T0));
	}

	@Test
	void findAllIsEmptyForAnEmptyStore() {
		assertThat(this.store.findAll()).isEmpty();
		assertThat(this.store.count()).isZero();
	}

	@Test
	void deleteReportsWhetherTheRegistrationExisted() {
		this.store.save("api", target("http://127.0.0.1:9001/"));
		this.store.save("other", target("http://127.0.0.1:9002/"));
		assertThat(this.store.delete("api")).isTrue();
		assertThat(this.store.delete("api")).isFalse();
		assertThat(this.store.delete("never")).isFalse();
		assertThat(this.store.find("api")).isEmpty();
		assertThat(this.store.findAll()).extracting(Registration::name).containsExactly("other");
	}

	@Test
	void countCountsRegistrationsNotSaves() {
		this.store.save("a", target("http://127.0.0.1:9001/"));
		this.store.save("b", target("http://127.0.0.1:9001/"));
		this.store.save("a", target("http://127.0.0.1:9002/"));
		assertThat(this.store.count()).isEqualTo(2);
	}

	@Test
	void everyFieldRoundTripsExactly() {
		this.store.save("checkout-1", everyField());
		assertThat(this.store.find("checkout-1")).contains(new Registration("checkout-1", everyField(), T0, T0));
		// The stored text is a format that rows written by this version keep.
		assertThat(storedDefinition("checkout-1")).isEqualTo("{\"service\":\"checkout\","
				+ "\"url\":\"https://checkout.internal:8443/health?deep=true\",\"method\":\"POST\","
				+ "\"headers\":{\"Authorization\":\"Bearer s3cr3t\",\"X-Quote\":\"say \\\"hi\\\" ü\"},"
				+ "\"body\":\"{\\\"ping\\\":true}\\n\",\"interval\":\"PT1.5S\",\"timeout\":\"PT0.25S\","
				+ "\"jitter\":\"PT0.123456789S\","
				+ "\"conditions\":[\"[STATUS] == 200\",\"[BODY].status == UP\",\"[RESPONSE_TIME] < 300ms\"],"
				+ "\"weight\":250,\"freshConnection\":true,\"tls\":{\"insecureSkipVerify\":true},\"enabled\":false,"
				+ "\"retry\":{\"maxAttempts\":3,\"initialBackoff\":\"PT0.15S\",\"multiplier\":1.5,"
				+ "\"randomizationFactor\":0.3,\"maxBackoff\":\"PT3S\","
				+ "\"retryOn\":[\"timeout\",\"connection-reset\",\"condition-failed\"]}}");
	}

	@Test
	void nullFieldsRoundTripAsNull() {
		TargetProperties sparse = new TargetProperties(null, null, "GET", null, null, null, null, null, null, 1, false,
				null, true, null);
		TargetProperties unsetRetry = new TargetProperties(null, "http://127.0.0.1:9001/", "GET", Map.of(), null, null,
				null, null, List.of(), 1000, false, new TargetProperties.Tls(false), true, RetryProperties.UNSET);
		this.store.save("sparse", sparse);
		this.store.save("unset-retry", unsetRetry);
		assertThat(this.store.findAll()).containsExactly(new Registration("sparse", sparse, T0, T0),
				new Registration("unset-retry", unsetRetry, T0, T0));
	}

	@Test
	void anUnreadableDefinitionIsAnErrorNotAMissingTarget() {
		insertRaw("broken", "{\"url\":");
		insertRaw("newer", "{\"url\":\"http://127.0.0.1:9001/\",\"method\":\"GET\",\"weight\":1,"
				+ "\"freshConnection\":false,\"enabled\":true,\"probeFromMars\":true}");
		assertThatExceptionOfType(UnreadableRegistrationException.class).isThrownBy(() -> this.store.find("broken"))
			.withMessageStartingWith("The store's registration 'broken' has an unreadable definition: ")
			.satisfies((ex) -> assertThat(ex.name()).isEqualTo("broken"));
		assertThatExceptionOfType(UnreadableRegistrationException.class).isThrownBy(() -> this.store.find("newer"))
			.withMessageStartingWith("The store's registration 'newer' has an unreadable definition: ")
			.withMessageContaining("\"probeFromMars\"");
		assertThatExceptionOfType(UnreadableRegistrationException.class).isThrownBy(this.store::findAll);
		assertThat(this.store.count()).isEqualTo(2);
	}

	@Test
	void concurrentSavesAllLand() throws Exception {
		// A second store has a write lock of its own, so its writes race this one's
		// in
		// the database itself: SQLite's busy handler, PostgreSQL's ON CONFLICT.
		TargetStore other = TestDatabases.store(this.dataSource, this.clock);
		int threads = 8;
		int perThread = 20;
		List<Integer> createdPerThread = inParallel(threads, thread -> {
			TargetStore store = (thread % 2 == 0) ? this.store : other;
			int created = 0;
			for (int i = 0; i < perThread; i++) {
				created += store.save("t" + thread + "-" + i, target("http://127.0.0.1:9001/" + i)) ? 1 : 0;
			}
			return created + (store.save("shared", target("http://127.0.0.1:9002/" + thread)) ? 1 : 0);
		});
		assertThat(createdPerThread.stream().mapToInt(Integer::intValue).sum()).isEqualTo(threads * perThread + 1);
		assertThat(this.store.count()).isEqualTo(threads * perThread + 1);
		assertThat(this.store.find("t7-19"))
			.contains(new Registration("t7-19", target("http://127.0.0.1:9001/19"), T0, T0));
	}

	@Test
	void everyWriteGetsTheNextVersionAndChangesListThemInOrder() {
		this.store.trackOwnWrites();
		this.store.save("a", target("http://127.0.0.1:9001/a"));
		this.store.save("b", target("http://127.0.0.1:9001/b"));
		this.store.save("a", target("http://127.0.0.1:9001/a2"));
		this.store.delete("b");
		assertThat(this.store.changeVersion()).isEqualTo(4);
		List<TargetStore.Change> changes = this.store.changesSince(0, 100);
		// One row per name: its latest change.
		assertThat(changes).extracting(TargetStore.Change::name, TargetStore.Change::version)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("a", 3L),
					org.assertj.core.groups.Tuple.tuple("b", 4L));
		assertThat(changes.get(0).registration().properties()).isEqualTo(target("http://127.0.0.1:9001/a2"));
		assertThat(changes.get(1).registration()).isNull();
		assertThat(this.store.changesSince(3, 100)).extracting(TargetStore.Change::name).containsExactly("b");
		assertThat(this.store.changesSince(4, 100)).isEmpty();
		assertThat(this.store.changesSince(0, 1)).extracting(TargetStore.Change::name).containsExactly("a");
		// This process's own writes are told apart once, so a reader skips them.
		assertThat(this.store.ownWrite(changes.get(0))).isTrue();
		assertThat(this.store.ownWrite(changes.get(0))).isFalse();
	}

	@Test
	void concurrentWritersNeverShareOrSkipAVersion() throws Exception {
		TargetStore other = TestDatabases.store(this.dataSource, this.clock);
		int threads = 4;
		int perThread = 15;
		inParallel(threads, thread -> {
			TargetStore store = (thread % 2 == 0) ? this.store : other;
			for (int i = 0; i < perThread; i++) {
				store.save("v" + thread + "-" + i, target("http://127.0.0.1:9001/" + i));
			}
			return null;
		});
		List<Long> versions = this.store.changesSince(0, 1000).stream().map(TargetStore.Change::version).toList();
		assertThat(versions).hasSize(threads * perThread);
		assertThat(versions)
			.isEqualTo(java.util.stream.LongStream.rangeClosed(1, threads * perThread).boxed().toList());
	}

	/**
	 * Run one task per thread, all at once, each given its thread number; wait for every
	 * result, at most 60 s each.
	 */
	private static <T> List<T> inParallel(int threads, ThreadTask<T> task) throws Exception {
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<T>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				futures.add(executor.submit(() -> task.run(thread)));
			}
			List<T> results = new ArrayList<>();
			for (Future<T> future : futures) {
				results.add(future.get(60, TimeUnit.SECONDS));
			}
			return results;
		}
		finally {
			executor.shutdownNow();
		}
	}

	/** What one thread of {@link #inParallel} does. */
	interface ThreadTask<T> {

		T run(int thread) throws Exception;

	}

	@Test
	void aCommittedSaveIsVisibleFromANewDataSource() {
		this.store.save("durable", everyField());
		this.dataSource.close();
		try (HikariDataSource reopened = TestDatabases.open(url())) {
			TargetStore fresh = TestDatabases.store(reopened, this.clock);
			assertThat(fresh.findAll()).containsExactly(new Registration("durable", everyField(), T0, T0));
		}
	}

	@Test
	void aWriteInsideACallersTransactionIsRefused() {
		new TransactionTemplate(new DataSourceTransactionManager(this.dataSource))
			.executeWithoutResult((status) -> assertThatIllegalStateException()
				.isThrownBy(() -> this.store.save("api", target("http://127.0.0.1:9001/")))
				.withMessage("The store commits its own writes; call it outside any transaction"));
		assertThat(this.store.count()).isZero();
	}

	private String storedDefinition(String name) {
		return JdbcClient.create(this.dataSource)
			.sql("SELECT definition FROM target_registration WHERE name = :name")
			.param("name", name)
			.query(String.class)
			.single();
	}

	private void insertRaw(String name, String definition) {
		JdbcClient.create(this.dataSource)
			.sql("INSERT INTO target_registration (name, definition, created_at, updated_at) VALUES (?, ?, 0, 0)")
			.params(name, definition)
			.update();
	}

}
