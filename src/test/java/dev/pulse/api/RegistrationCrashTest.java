package dev.pulse.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pulse.support.PulseLauncher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Pulse never loses an acknowledged registration and always reopens its store: a real
 * Pulse process is SIGKILLed {@value #DEFAULT_ITERATIONS} times per store at random
 * moments (start-up, Flyway's migration, registrations in flight) and restarted on the
 * same store (see {@link CrashLoop}). SQLite always; PostgreSQL when
 * {@code PULSE_TEST_POSTGRES_URL} is set. Both loops run at once, from one CDS archive
 * (see {@link PulseLauncher#fast}), to stay within a few minutes on 2 cores.
 * <p>
 * {@code -Dcrash.iterations=N} changes the count, {@code -Dcrash.seed=S} replays the kill
 * aims of a run (the timing of the processes cannot be replayed).
 */
class RegistrationCrashTest {

	/**
	 * 50 in the suite, two fresh stores of 25: every kill zone is hit in each, and the
	 * suite stays within its 15 minutes; the measured runs in docs/reliability.md use
	 * {@code -Dcrash.iterations=100}.
	 */
	static final int DEFAULT_ITERATIONS = 50;

	private static final int ITERATIONS = Integer.getInteger("crash.iterations", DEFAULT_ITERATIONS);

	/** A fresh store every 20 iterations, so Flyway's first migration is killed too. */
	private static final int EPOCHS = Math.max(1, ITERATIONS / 20);

	private static final String TOKEN = "crash-test-token";

	private static final String POSTGRES_URL = System.getenv("PULSE_TEST_POSTGRES_URL");

	@TempDir
	static Path dir;

	private static final ExecutorService loops = Executors.newFixedThreadPool(2);

	private static CompletableFuture<CrashLoop.Report> sqlite;

	private static @Nullable CompletableFuture<CrashLoop.Report> postgresql;

	private static @Nullable CrashStore postgresqlStore;

	/**
	 * A safety net, not a budget: both loops must be done 15 minutes after they started
	 * (about 4 on an idle 2-core machine, see docs/reliability.md).
	 */
	private static long deadlineNanos;

	@BeforeAll
	static void startBothLoops() throws Exception {
		long seed = Long.getLong("crash.seed", System.nanoTime());
		System.out.println("crash loops: " + ITERATIONS + " iterations per store, seed " + seed);
		long start = System.nanoTime();
		deadlineNanos = start + TimeUnit.MINUTES.toNanos(15);
		PulseLauncher launcher = PulseLauncher.fast(dir.resolve("launcher"));
		System.out.printf("crash loops: launcher ready in %d ms%n",
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
		sqlite = loop(CrashStore.sqlite(Files.createDirectories(dir.resolve("sqlite"))), launcher, seed);
		if (POSTGRES_URL != null) {
			postgresqlStore = CrashStore.postgresql(POSTGRES_URL, Long.toString(seed & 0xffffff, 36));
			postgresql = loop(postgresqlStore, launcher, seed + 1);
		}
	}

	private static CompletableFuture<CrashLoop.Report> loop(CrashStore store, PulseLauncher launcher, long seed)
			throws Exception {
		Path logs = Files.createDirectories(dir.resolve("logs-" + store.name()));
		CrashLoop loop = new CrashLoop(store, launcher, logs, ITERATIONS, EPOCHS, seed, TOKEN);
		return CompletableFuture.supplyAsync(() -> {
			try {
				return loop.run();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}, loops);
	}

	@AfterAll
	static void dropSchemas() throws Exception {
		loops.shutdownNow();
		loops.awaitTermination(30, TimeUnit.SECONDS);
		if (postgresqlStore != null) {
			postgresqlStore.dropAll();
		}
	}

	@Test
	void sqliteKeepsEveryAcknowledgedRegistrationThroughKillDashNine() throws Throwable {
		check(report(sqlite));
	}

	@Test
	void postgresqlKeepsEveryAcknowledgedRegistrationThroughKillDashNine() throws Throwable {
		assumeTrue(postgresql != null, "PULSE_TEST_POSTGRES_URL is not set: no PostgreSQL crash loop");
		check(report(postgresql));
	}

	private static void check(CrashLoop.Report report) {
		System.out.println(report.summary());
		assertThat(report.iterations()).hasSize(ITERATIONS);
		// Every epoch ends on a kill after ready, with writes acknowledged before it.
		assertThat(report.killedIn("ready")).isGreaterThanOrEqualTo(EPOCHS);
		assertThat(report.acknowledgedTotal()).as("registrations acknowledged").isGreaterThan(EPOCHS);
		assertThat(report.rowsRead()).isGreaterThanOrEqualTo(report.acknowledgedTotal());
	}

	private static CrashLoop.Report report(CompletableFuture<CrashLoop.Report> loop) throws Throwable {
		try {
			return loop.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			throw (cause instanceof IllegalStateException && cause.getCause() != null) ? cause.getCause() : cause;
		}
	}

}
