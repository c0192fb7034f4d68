package dev.pulse.api;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import tools.jackson.databind.JsonNode;

import dev.pulse.support.ApiClient;
import dev.pulse.support.PulseLauncher;
import dev.pulse.support.PulseProcess;
import dev.pulse.support.PulseProcess.Phase;

/**
 * Starts Pulse on one store again and again, registers from four writers whenever it
 * listens, and SIGKILLs it at a random moment: during JVM and Spring start-up, during
 * Flyway's check or migration of the schema, or while registrations are in flight once it
 * is ready. Each start that gets to ready must list every registration acknowledged
 * before it; at the end of each epoch the store is read directly. Any loss, any start
 * that fails on a store a kill left behind, any process that dies by itself, fails the
 * loop with the log of the process concerned.
 */
final class CrashLoop {

	private static final int WRITERS = 4;

	private static final Duration DEADLINE = Duration.ofSeconds(60);

	/** Where the kill is aimed; the phase it actually lands in is measured. */
	enum Aim {

		/** A uniform moment between launch and about the usual time to ready. */
		STARTUP,

		/** 0 to 150 ms after Flyway connects: its check, or the migration itself. */
		FLYWAY,

		/** 0 to 700 ms after the first ready check, with the writers running. */
		READY

	}

	/**
	 * One start and kill.
	 *
	 * @param killedIn the phase the kill landed in ({@code null}: after ready)
	 * @param migrationInterrupted the kill landed while Flyway was changing the schema
	 * @param checked the names the ready check covered, or -1 if the kill came first
	 */
	record Iteration(int epoch, int index, Aim aim, long killMillis, Phase killedIn, boolean migrationInterrupted,
			long readyMillis, int acknowledged, int checked, long cpuMillis) {

		String phaseName() {
			if (this.killedIn == null) {
				return "ready";
			}
			return switch (this.killedIn) {
				case STARTING -> "startup";
				case FLYWAY, MIGRATING -> "flyway";
				case MIGRATED, LISTENING -> "started";
			};
		}

		@Override
		public String toString() {
			return String.format(
					"e%d i%02d aim=%-7s killed at %5d ms in %-7s%s ready=%s acknowledged=%d checked=%s cpu=%dms",
					this.epoch, this.index, this.aim, this.killMillis, phaseName(),
					this.migrationInterrupted ? " (mid-migration)" : "",
					(this.readyMillis >= 0) ? this.readyMillis + "ms" : "no", this.acknowledged,
					(this.checked >= 0) ? this.checked : "-", this.cpuMillis);
		}

	}

	record Report(String store, long seed, int epochs, List<Iteration> iterations, int rowsRead, int acknowledgedTotal,
			long wallMillis) {

		long killedIn(String phase) {
			return this.iterations.stream().filter(iteration -> iteration.phaseName().equals(phase)).count();
		}

		String summary() {
			long midMigration = this.iterations.stream().filter(Iteration::migrationInterrupted).count();
			long readyStarts = this.iterations.stream().filter(iteration -> iteration.readyMillis() >= 0).count();
			double meanReady = this.iterations.stream()
				.filter(iteration -> iteration.readyMillis() >= 0)
				.mapToLong(Iteration::readyMillis)
				.average()
				.orElse(Double.NaN);
			long checks = this.iterations.stream().filter(iteration -> iteration.checked() >= 0).count();
			long namesChecked = this.iterations.stream().mapToLong(iteration -> Math.max(0, iteration.checked())).sum();
			long cpu = this.iterations.stream().mapToLong(iteration -> Math.max(0, iteration.cpuMillis())).sum();
			return String.format(
					"crash loop [%s] seed=%d: %d iterations in %d epochs, %.1f s wall (%.2f s per iteration); "
							+ "kills: startup %d, flyway %d (%d mid-migration), started-not-ready %d, ready %d; "
							+ "time to ready %.0f ms mean over %d starts; acknowledged %d registrations; "
							+ "%d ready checks covered %d names; %d raw store checks read %d rows; lost 0; "
							+ "Pulse CPU %.1f s (%.2f s per iteration)",
					this.store, this.seed, this.iterations.size(), this.epochs, this.wallMillis / 1000.0,
					this.wallMillis / 1000.0 / this.iterations.size(), killedIn("startup"), killedIn("flyway"),
					midMigration, killedIn("started"), killedIn("ready"), meanReady, readyStarts,
					this.acknowledgedTotal, checks, namesChecked, this.epochs, this.rowsRead, cpu / 1000.0,
					cpu / 1000.0 / this.iterations.size());
		}

	}

	private final CrashStore store;

	private final PulseLauncher launcher;

	private final Path logs;

	private final int iterations;

	private final int epochs;

	private final long seed;

	private final Random random;

	private final String token;

	private final AtomicInteger counter = new AtomicInteger();

	private long readyTotalMillis;

	private int readyStarts;

	CrashLoop(CrashStore store, PulseLauncher launcher, Path logs, int iterations, int epochs, long seed,
			String token) {
		this.store = store;
		this.launcher = launcher;
		this.logs = logs;
		this.iterations = iterations;
		this.epochs = epochs;
		this.seed = seed;
		this.random = new Random(seed);
		this.token = token;
	}

	Report run() throws Exception {
		long start = System.nanoTime();
		List<Iteration> done = new ArrayList<>();
		int rows = 0;
		int acknowledgedTotal = 0;
		for (int epoch = 0; epoch < this.epochs; epoch++) {
			int count = this.iterations / this.epochs + ((epoch < this.iterations % this.epochs) ? 1 : 0);
			Set<String> acknowledged = ConcurrentHashMap.newKeySet();
			boolean migrated = false;
			for (int index = 0; index < count; index++) {
				// Every epoch ends on a kill after ready, so its store holds fresh writes
				// when it is read directly.
				Aim aim = (index == count - 1) ? Aim.READY : draw(migrated);
				Iteration iteration = iterate(epoch, index, aim, acknowledged);
				migrated |= iteration.killedIn() != Phase.STARTING && iteration.killedIn() != Phase.FLYWAY
						&& iteration.killedIn() != Phase.MIGRATING;
				System.out.println("crash loop [" + this.store.name() + "] " + iteration);
				done.add(iteration);
			}
			rows += this.store.verify(epoch, acknowledged);
			acknowledgedTotal += acknowledged.size();
		}
		return new Report(this.store.name(), this.seed, this.epochs, done, rows, acknowledgedTotal,
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
	}

	/** While the schema is not yet migrated, aim mostly at Flyway. */
	private Aim draw(boolean migrated) {
		double r = this.random.nextDouble();
		if (!migrated) {
			return (r < 0.6) ? Aim.FLYWAY : (r < 0.8) ? Aim.STARTUP : Aim.READY;
		}
		return (r < 0.5) ? Aim.STARTUP : (r < 0.7) ? Aim.FLYWAY : Aim.READY;
	}

	private Iteration iterate(int epoch, int index, Aim aim, Set<String> acknowledged) throws Exception {
		Path log = this.logs.resolve(this.store.name() + "-" + epoch + "-" + index + ".log");
		long delayMillis = switch (aim) {
			case STARTUP -> (long) (this.random.nextDouble() * 1.1 * expectedReadyMillis());
			case FLYWAY -> this.random.nextInt(150);
			case READY -> this.random.nextInt(700);
		};
		int before = acknowledged.size();
		AtomicBoolean stop = new AtomicBoolean();
		AtomicLong readyMillis = new AtomicLong(-1);
		AtomicInteger checked = new AtomicInteger(-1);
		AtomicReference<AssertionError> violation = new AtomicReference<>();
		CountDownLatch readyChecked = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(WRITERS + 1);
		PulseProcess pulse = this.launcher.start(log, arguments(epoch));
		try {
			threads.execute(
					() -> watchReadiness(pulse, acknowledged, stop, readyMillis, checked, violation, readyChecked));
			for (int i = 0; i < WRITERS; i++) {
				threads.execute(() -> write(pulse, acknowledged, stop));
			}
			switch (aim) {
				case STARTUP -> sleepAlive(pulse, delayMillis);
				case FLYWAY -> {
					require(pulse, pulse.awaitPhase(Phase.FLYWAY, DEADLINE), "Flyway never started");
					sleepAlive(pulse, delayMillis);
				}
				case READY -> {
					require(pulse, readyChecked.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS),
							"Pulse never became ready");
					sleepAlive(pulse, delayMillis);
				}
			}
			require(pulse, pulse.isAlive(), "Pulse exited by itself");
			boolean ready = checked.get() >= 0;
			Phase phase = pulse.phase();
			boolean midMigration = pulse.reached(Phase.MIGRATING) && !pulse.reached(Phase.MIGRATED);
			long killMillis = pulse.elapsedMillis();
			long cpuMillis = pulse.cpuMillis();
			pulse.kill();
			stop.set(true);
			threads.shutdown();
			require(pulse, threads.awaitTermination(20, TimeUnit.SECONDS), "the writers did not stop");
			if (violation.get() != null) {
				throw violation.get();
			}
			if (readyMillis.get() >= 0) {
				this.readyTotalMillis += readyMillis.get();
				this.readyStarts++;
			}
			return new Iteration(epoch, index, aim, killMillis, ready ? null : phase, midMigration, readyMillis.get(),
					acknowledged.size() - before, checked.get(), cpuMillis);
		}
		finally {
			stop.set(true);
			threads.shutdownNow();
			pulse.close();
		}
	}

	private List<String> arguments(int epoch) {
		List<String> arguments = new ArrayList<>(this.store.arguments(epoch));
		arguments.addAll(List.of("--spring.profiles.active=crash", "--pulse.api.write-token=" + this.token,
				// Loopback is denied to API targets by default (SSRF guard); these
				// targets are disabled and never probed.
				"--pulse.security.ssrf.allow=127.0.0.0/8"));
		return arguments;
	}

	private long expectedReadyMillis() {
		return (this.readyStarts == 0) ? 2500 : this.readyTotalMillis / this.readyStarts;
	}

	/**
	 * Polls readiness once Tomcat listens; at the first UP, checks that every
	 * registration acknowledged before the check is listed.
	 */
	private void watchReadiness(PulseProcess pulse, Set<String> acknowledged, AtomicBoolean stop,
			AtomicLong readyMillis, AtomicInteger checked, AtomicReference<AssertionError> violation,
			CountDownLatch readyChecked) {
		try {
			if (!pulse.awaitPhase(Phase.LISTENING, DEADLINE)) {
				return;
			}
			ApiClient api = new ApiClient(pulse.port());
			while (!stop.get() && !ready(api)) {
				Thread.sleep(25);
			}
			if (stop.get()) {
				return;
			}
			readyMillis.set(pulse.elapsedMillis());
			Set<String> expected = Set.copyOf(acknowledged);
			Set<String> listed = registeredNames(api);
			if (!listed.containsAll(expected)) {
				Set<String> missing = new HashSet<>(expected);
				missing.removeAll(listed);
				violation.set(new AssertionError(this.store.name() + ": acknowledged registrations missing after a "
						+ "restart: " + missing + "\n" + pulse.logTail(40)));
			}
			checked.set(expected.size());
			readyChecked.countDown();
		}
		catch (Exception ex) {
			// Killed during the check: this start checked nothing.
		}
	}

	private static boolean ready(ApiClient api) {
		try {
			return api.get("/actuator/health/readiness").statusCode() == 200;
		}
		catch (Exception ex) {
			return false;
		}
	}

	private static Set<String> registeredNames(ApiClient api) throws Exception {
		JsonNode targets = api.getJson("/api/targets").path("targets");
		Set<String> names = new HashSet<>();
		targets.forEach(target -> {
			if (target.path("source").asString().equals("api")) {
				names.add(target.path("name").asString());
			}
		});
		return names;
	}

	/** Registers new names as fast as Pulse answers, from the moment it listens. */
	private void write(PulseProcess pulse, Set<String> acknowledged, AtomicBoolean stop) {
		try {
			if (!pulse.awaitPhase(Phase.LISTENING, DEADLINE)) {
				return;
			}
		}
		catch (InterruptedException ex) {
			return;
		}
		ApiClient api = new ApiClient(pulse.port()).withToken(this.token);
		String prefix = this.store.name().substring(0, 1) + "-";
		while (!stop.get()) {
			String name = prefix + this.counter.incrementAndGet();
			try {
				HttpResponse<String> response = api.put("/api/targets/" + name,
						"{\"url\": \"http://127.0.0.1:9/\", \"interval\": \"60s\", \"timeout\": \"1s\", \"enabled\": false}");
				if (response.statusCode() / 100 == 2) {
					acknowledged.add(name);
				}
			}
			catch (Exception ex) {
				// Killed mid-request: never acknowledged, so never expected back.
				return;
			}
		}
	}

	private static void sleepAlive(PulseProcess pulse, long millis) throws InterruptedException {
		long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
		while (pulse.isAlive() && System.nanoTime() < end) {
			Thread.sleep(Math.max(1, Math.min(10, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
		}
	}

	private static void require(PulseProcess pulse, boolean condition, String what) {
		if (!condition) {
			throw new AssertionError(what + " (after " + pulse.elapsedMillis() + " ms); log:\n" + pulse.logTail(60));
		}
	}

}
