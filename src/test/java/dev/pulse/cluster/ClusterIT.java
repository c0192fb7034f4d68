package dev.pulse.cluster;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Replicas sharing the targets through partition leases in PostgreSQL (#14), as real JVMs
 * from the packaged jar on loopback: three replicas (four while one joins) share
 * {@value #TARGETS} targets probed every second at one {@link ProbeFarm}, which records
 * which member probed what and when. Each scenario asserts what the farm and the
 * replicas' {@code /actuator/cluster} views show, with generous bounds, and prints its
 * measured figures as one {@code CLUSTER-FIGURE scenario=... key=value ...} line (see
 * bench/cluster/run.sh).
 * <p>
 * The scenarios run in order on the same replicas: steady state, registration and state
 * propagation, the database lost by all and by one, hand-over on SIGTERM, a join, kill
 * -9, SIGSTOP, and a kill/restart loop. {@code -Dpulse.cluster.profile=production} uses
 * Pulse's lease defaults (10 s lease, 2 s renewal) instead of the fast test profile (3 s,
 * 500 ms); {@code -Dpulse.cluster.iterations=N} sets the loop's kills (default 50),
 * {@code -Dpulse.cluster.seed=S} replays its choice of victims. Without
 * {@code PULSE_TEST_POSTGRES_URL} (see .ci/postgres.sh) every scenario is skipped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

	static final int TARGETS = 300;

	/** Targets registered at run time get ids from here: {@code reg-<i>} is 1000 + i. */
	static final int REGISTERED_BASE = 1000;

	static final int REGISTRATIONS = 50;

	static final int FLIPPED = 20;

	static final Duration INTERVAL = Duration.ofSeconds(1);

	static final String HEADER = "X-Pulse-Member";

	static final String TOKEN = "secret";

	static final Set<String> THREE = Set.of("r1", "r2", "r3");

	static final Profile PROFILE = Profile.of(System.getProperty("pulse.cluster.profile", "fast"));

	static final int ITERATIONS = Integer.getInteger("pulse.cluster.iterations", 50);

	/** Mean time between two kills of the loop. */
	static final Duration PACE = Duration.ofMillis(Long.getLong("pulse.cluster.pace-millis", 2200));

	/** The wait for a fair share after a change of members. */
	static final Duration SETTLE = Duration.ofSeconds(30).plus(PROFILE.lease().multipliedBy(4));

	static final Duration READY = Duration.ofSeconds(120);

	/** Let the probes due by the end of a window arrive before it is judged. */
	static final Duration LAND = Duration.ofMillis(1500);

	private static final String POSTGRES_URL = System.getenv("PULSE_TEST_POSTGRES_URL");

	private static final List<String> FIGURES = new CopyOnWriteArrayList<>();

	/**
	 * The lease settings of a run.
	 *
	 * @param lease the lease duration
	 * @param tick the renewal (and balancing) interval
	 * @param args the replicas' arguments that set them
	 */
	record Profile(String name, Duration lease, Duration tick, List<String> args) {

		static Profile of(String name) {
			return switch (name) {
				case "fast" -> new Profile(name, Duration.ofSeconds(3), Duration.ofMillis(500),
						List.of("--pulse.cluster.lease-duration=3s", "--pulse.cluster.renew-interval=500ms",
								"--pulse.cluster.renew-deadline=2s", "--pulse.cluster.min-hold=1s",
								"--pulse.cluster.max-moves-per-tick=1024", "--pulse.cluster.poll-interval=500ms"));
				case "production" -> new Profile(name, Duration.ofSeconds(10), Duration.ofSeconds(2), List.of());
				default ->
					throw new IllegalArgumentException("pulse.cluster.profile must be fast or production, not " + name);
			};
		}

		/** Survivors own a lost member's partitions within one lease and one tick. */
		Duration takeover() {
			return this.lease.plus(this.tick);
		}

	}

	static Path work;

	static @Nullable ClusterDatabase database;

	static @Nullable ProbeFarm farm;

	static @Nullable Cluster cluster;

	static PulseJar jar;

	/** A wait for a settled cluster has failed: later waits are short. */
	static volatile boolean unsettled;

	@BeforeAll
	static void startThreeReplicas() throws Exception {
		assumeTrue(POSTGRES_URL != null,
				"PULSE_TEST_POSTGRES_URL is not set (source .ci/postgres.sh): ClusterIT needs PostgreSQL");
		String run = "pulse_cluster_" + Long.toString(System.nanoTime() & 0xffffffffffL, 36);
		work = Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", "cluster-it", run))
			.toAbsolutePath();
		ClusterDatabase training;
		try {
			database = ClusterDatabase.create(POSTGRES_URL, run);
			training = ClusterDatabase.create(POSTGRES_URL, run + "_cds");
		}
		catch (SQLException ex) {
			assumeTrue(false, "PostgreSQL unavailable at PULSE_TEST_POSTGRES_URL: " + ex);
			return;
		}
		farm = ProbeFarm.start(HEADER, Integer.getInteger("pulse.cluster.farm-capacity", 4_000_000));
		Path targetsFile = writeTargetsFile(work.resolve("targets.yaml"));
		List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=it",
				"--pulse.api.write-token=" + TOKEN, "--pulse.cluster.identify-header=" + HEADER,
				"--pulse.targets-file=" + targetsFile, "--pulse.security.ssrf.allow=127.0.0.1/32"));
		arguments.addAll(PROFILE.args());
		try {
			List<String> trainingArgs = new ArrayList<>(arguments);
			trainingArgs.addAll(List.of("--server.port=0", "--server.address=127.0.0.1",
					"--pulse.cluster.member-id=cds", "--pulse.cluster.address=http://127.0.0.1:1"));
			trainingArgs.addAll(training.arguments(training.port()));
			jar = PulseJar.prepare(PulseJar.packaged(), work, trainingArgs);
		}
		finally {
			training.close();
		}
		Path logs = Files.createDirectories(work.resolve("logs"));
		System.out.println("ClusterIT: profile " + PROFILE.name() + ", store " + database.description() + ", jar "
				+ jar.description() + ", logs in " + logs);
		cluster = new Cluster(jar, database, logs, arguments);
		Cluster started = cluster;
		Runtime.getRuntime().addShutdownHook(new Thread(started::killAll));
		for (String member : THREE) {
			cluster.start(member);
		}
		StringBuilder ready = new StringBuilder();
		for (Replica replica : cluster.running()) {
			ready.append(" ready_ms_").append(replica.memberId()).append('=').append(replica.awaitReady(READY));
		}
		figure("startup", "profile=" + PROFILE.name() + ready);
		// Fail every scenario at once, not each after its settling deadline, when the jar
		// has no cluster.
		Replica first = cluster.replica("r1");
		ClusterView view = first.cluster();
		assertThat(view).as("GET /actuator/cluster of %s: no cluster endpoint (issue #14) in this jar?", first)
			.isNotNull();
		assertThat(view.enabled()).as("clustering enabled on %s: %s", first, view.summary()).isTrue();
	}

	/**
	 * Each scenario starts from r1, r2 and r3 running: one that a failed scenario left
	 * stopped or killed is started again, so one failure does not fail the rest.
	 */
	@BeforeEach
	void threeReplicasRunning() throws Exception {
		for (String member : new TreeSet<>(THREE)) {
			Replica replica = cluster.replica(member);
			if (!cluster.members().contains(member) || !replica.isAlive()) {
				System.out.println("ClusterIT: " + member + " is not running after the last scenario; starting it");
				if (replica.isAlive()) {
					replica.kill9();
				}
				cluster.restart(member).awaitReady(READY);
			}
		}
	}

	@AfterAll
	static void stopEverything() throws Exception {
		if (cluster != null) {
			cluster.close();
		}
		if (farm != null) {
			assertThat(farm.log().overflowed()).as("the farm's log overflowed: raise pulse.cluster.farm-capacity")
				.isFalse();
			farm.close();
		}
		if (database != null) {
			database.close();
		}
		System.out.println("ClusterIT figures (" + PROFILE.name() + " profile):");
		FIGURES.forEach(System.out::println);
	}

	@Test
	@Order(1)
	void steadyStateShouldOwnEveryPartitionOnceWithFairSharesAndProbeOnlyFromTheOwner() throws Exception {
		// Steady means after the start-up's moves: a partition moved just before the
		// window
		// would make its targets' last gap a move's, not the steady state's.
		settle(THREE, SETTLE);
		Thread.sleep(2 * INTERVAL.toMillis() + LAND.toMillis());
		Cluster.Settled settled = settle(THREE, SETTLE);
		long from = System.nanoTime();
		Thread.sleep(5000);
		long to = System.nanoTime();
		Cluster.Settled after = settle(THREE, SETTLE);
		Thread.sleep(LAND.toMillis());
		ProbeHistory history = farm.log().snapshot();
		ProbeHistory.Verdict verdict = history.judge(from, to, INTERVAL, ClusterIT::configured);

		// Only the owner probes: every target of a partition that did not move was probed
		// in the window by its owner and by no one else.
		Map<Integer, String> owners = settled.owners();
		int moved = moved(owners, after.owners());
		List<String> wrongProbers = new ArrayList<>();
		for (int target = 0; target < TARGETS; target++) {
			int partition = ClusterView.partition(name(target));
			String owner = owners.get(partition);
			if (owner.equals(after.owners().get(partition))) {
				Set<String> probers = history.probers(target, from, to);
				if (!probers.equals(Set.of(owner))) {
					wrongProbers.add(name(target) + " (partition " + partition + ", owner " + owner + "): " + probers);
				}
			}
		}
		figure("steady", "settle_ms=" + settled.waitedMillis() + " " + shares(settled) + " moved_in_window=" + moved
				+ " wrong_prober=" + wrongProbers.size() + " " + verdict.figures());

		assertThat(settled.owners()).as("partitions with a live lease").hasSize(ClusterView.PARTITIONS);
		assertThat(settled.skew()).as("largest share over 1024/3: %s", settled.counts())
			.isLessThanOrEqualTo(Cluster.MAX_SKEW);
		assertThat(wrongProbers).as("targets probed by someone other than their partition's owner").isEmpty();
		assertVerdict(verdict, "steady state");
		assertThat(verdict.targets()).as("configured targets probed in 5 s").isEqualTo(TARGETS);
		assertThat(verdict.duplicates()).as("duplicates; %s", verdict.examples()).isZero();
		assertThat(verdict.missed()).as("missed slots; %s", verdict.examples()).isZero();
	}

	@Test
	@Order(2)
	void registrationsShouldBeProbedByTheirOwnerAndStateChangesSeenOnEveryReplica() throws Exception {
		settle(THREE, SETTLE);
		Replica r1 = cluster.replica("r1");
		long[] sent = new long[REGISTRATIONS];
		long start = System.nanoTime();
		for (int i = 0; i < REGISTRATIONS; i++) {
			long due = start + TimeUnit.MILLISECONDS.toNanos(100L * i);
			TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
			sent[i] = System.nanoTime();
			HttpResponse<String> response = r1.put(registered(i), registration(REGISTERED_BASE + i), TOKEN);
			assertThat(response.statusCode()).as("PUT %s: %s", registered(i), response.body()).isEqualTo(201);
		}
		List<Long> firstProbe = new ArrayList<>();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
		ProbeHistory history;
		List<String> unprobed;
		do {
			Thread.sleep(200);
			history = farm.log().snapshot();
			unprobed = new ArrayList<>();
			firstProbe.clear();
			for (int i = 0; i < REGISTRATIONS; i++) {
				Long probe = history.firstProbe(REGISTERED_BASE + i, sent[i], -1);
				if (probe == null) {
					unprobed.add(registered(i));
				}
				else {
					firstProbe.add(TimeUnit.NANOSECONDS.toMillis(probe - sent[i]));
				}
			}
		}
		while (!unprobed.isEmpty() && System.nanoTime() < deadline);
		Map<Integer, String> owners = settle(THREE, SETTLE).owners();
		int notOwner = 0;
		for (int i = 0; i < REGISTRATIONS; i++) {
			Long probe = history.firstProbe(REGISTERED_BASE + i, sent[i], -1);
			if (probe != null) {
				Set<String> probers = history.probers(REGISTERED_BASE + i, probe, probe + 1);
				notOwner += probers.contains(owners.get(ClusterView.partition(registered(i)))) ? 0 : 1;
			}
		}
		figure("registration", "registered=" + REGISTRATIONS + " first_probe_p50_ms=" + percentile(firstProbe, 50)
				+ " first_probe_p99_ms=" + percentile(firstProbe, 99) + " first_probe_max_ms="
				+ percentile(firstProbe, 100) + " unprobed=" + unprobed.size() + " first_prober_not_owner=" + notOwner);
		assertThat(unprobed).as("registrations never probed within 20 s").isEmpty();
		assertThat(notOwner).as("registrations first probed by a replica that does not own their partition").isZero();
		assertThat(percentile(firstProbe, 99)).as("p99 ms from PUT to the first probe (target: 1 s)")
			.isLessThanOrEqualTo(3000);

		resultsShouldBeAnsweredByTheOwnerAndNamedByTheOthers(owners);

		stateChangesShouldBeSeenOnEveryReplica();
	}

	/**
	 * Only the owner holds a target's results: it answers 200, the others 421 with the
	 * owner's member id (OpenApiContractTest leaves this cluster-only answer to here).
	 */
	private void resultsShouldBeAnsweredByTheOwnerAndNamedByTheOthers(Map<Integer, String> owners) {
		String name = registered(0);
		String owner = owners.get(ClusterView.partition(name));
		for (Replica replica : cluster.running(THREE)) {
			HttpResponse<String> response = replica.get("/api/targets/" + name + "/results", Duration.ofSeconds(5));
			assertThat(response).as("GET results of %s on %s", name, replica).isNotNull();
			if (replica.memberId().equals(owner)) {
				assertThat(response.statusCode()).as("the owner %s: %s", owner, response.body()).isEqualTo(200);
			}
			else {
				assertThat(response.statusCode()).as("%s, not the owner: %s", replica, response.body()).isEqualTo(421);
				assertThat(response.body()).contains("\"owner\":\"" + owner + "\"");
			}
		}
	}

	/**
	 * {@value #FLIPPED} targets start failing at the farm; every replica's {@code GET
	 * /api/targets/{name}} must show them down (unhealthy or degraded). Three figures:
	 * from the switch to the first replica that shows it (detection: at least the
	 * failures the state machine needs), to the last one, and from the owner's state
	 * change ({@code changes[0].at}) to the last replica (propagation, the 1 s target).
	 */
	private void stateChangesShouldBeSeenOnEveryReplica() throws Exception {
		List<Replica> replicas = cluster.running(THREE);
		// Each replica's event stream too: an event's arrival is timed where it lands,
		// without the polling rounds' granularity.
		List<EventTap> taps = new ArrayList<>();
		for (Replica replica : replicas) {
			taps.add(EventTap.open(replica));
		}
		long switched = System.nanoTime();
		for (int target = 0; target < FLIPPED; target++) {
			farm.failing(target, true);
		}
		Map<String, Map<String, Long>> seenNanos = new ConcurrentHashMap<>();
		Map<String, Long> lastSeenWall = new TreeMap<>();
		Map<String, Instant> changedAt = new TreeMap<>();
		long deadline = switched + TimeUnit.SECONDS.toNanos(30);
		try {
			while (System.nanoTime() < deadline) {
				List<CompletableFuture<Void>> polls = new ArrayList<>();
				for (int target = 0; target < FLIPPED; target++) {
					String name = name(target);
					for (Replica replica : replicas) {
						Map<String, Long> seen = seenNanos.computeIfAbsent(name, (key) -> new ConcurrentHashMap<>());
						if (!seen.containsKey(replica.memberId())) {
							polls.add(replica.targetAsync(name).thenAccept((json) -> {
								if (json != null && isDown(json.path("state").asString(""))) {
									synchronized (seenNanos) {
										seen.put(replica.memberId(), System.nanoTime());
										lastSeenWall.merge(name, System.currentTimeMillis(), Math::max);
										Instant at = changeAt(json);
										if (at != null) {
											changedAt.merge(name, at, (a, b) -> a.isBefore(b) ? a : b);
										}
									}
								}
							}));
						}
					}
				}
				if (polls.isEmpty()) {
					break;
				}
				CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
				Thread.sleep(50);
			}
		}
		finally {
			for (int target = 0; target < FLIPPED; target++) {
				farm.failing(target, false);
			}
			for (EventTap tap : taps) {
				tap.close();
			}
		}
		List<Long> streamed = streamedPropagation(taps, switched);
		List<Long> first = new ArrayList<>();
		List<Long> all = new ArrayList<>();
		List<Long> propagation = new ArrayList<>();
		List<String> unseen = new ArrayList<>();
		synchronized (seenNanos) {
			seenNanos.forEach((name, seen) -> {
				if (seen.size() < replicas.size()) {
					unseen.add(name + " down on " + seen.keySet() + " only");
					return;
				}
				first.add(TimeUnit.NANOSECONDS.toMillis(Collections.min(seen.values()) - switched));
				all.add(TimeUnit.NANOSECONDS.toMillis(Collections.max(seen.values()) - switched));
				Instant at = changedAt.get(name);
				if (at != null) {
					propagation.add(lastSeenWall.get(name) - at.toEpochMilli());
				}
			});
		}
		figure("state-propagation", "flipped=" + FLIPPED + " detect_p50_ms=" + percentile(first, 50) + " detect_p99_ms="
				+ percentile(first, 99) + " visible_all_p50_ms=" + percentile(all, 50) + " visible_all_p99_ms="
				+ percentile(all, 99) + " propagation_p50_ms=" + percentile(propagation, 50) + " propagation_p99_ms="
				+ percentile(propagation, 99) + " propagation_samples=" + propagation.size()
				+ " events_propagation_p50_ms=" + percentile(streamed, 50) + " events_propagation_p99_ms="
				+ percentile(streamed, 99) + " events_samples=" + streamed.size() + " unseen=" + unseen.size());
		assertThat(unseen).as("targets not shown down on every replica within 30 s").isEmpty();
		assertThat(propagation).as("targets whose view carries the state change's time (changes[0].at)")
			.hasSize(FLIPPED);
		// A liveness bound, not the speed: the 1 s target is a figure (printed above and
		// recorded in docs/benchmarks.md); a loaded CI machine has been seen at 3.5 s.
		// Beyond 10 s the change did not travel by the doorbell and the resync alone.
		assertThat(percentile(propagation, 99)).as("p99 ms from the state change to the last replica")
			.isLessThanOrEqualTo(10_000);
	}

	@Test
	@Order(3)
	void whenNoReplicaReachesTheDatabaseProbingShouldGoOnAndNoPartitionMove() throws Exception {
		Cluster.Settled before = settle(THREE, SETTLE);
		Duration outage = longer(Duration.ofSeconds(10), PROFILE.lease().plusSeconds(5));
		List<Replica> replicas = cluster.running(THREE);
		Map<String, List<String>> states = new TreeMap<>();
		long cut = System.nanoTime();
		try {
			for (Replica replica : replicas) {
				replica.proxy().cut();
			}
			while (System.nanoTime() - cut < outage.toNanos()) {
				for (Replica replica : replicas) {
					ClusterView view = replica.cluster();
					List<String> seen = states.computeIfAbsent(replica.memberId(), (key) -> new ArrayList<>());
					String state = (view != null) ? view.state() : "no-answer";
					if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) {
						seen.add(state);
					}
				}
				Thread.sleep(500);
			}
		}
		finally {
			for (Replica replica : replicas) {
				replica.proxy().restore();
			}
		}
		long restored = System.nanoTime();
		Cluster.Settled after = settle(THREE, SETTLE);
		Thread.sleep(LAND.toMillis());
		ProbeHistory.Verdict verdict = farm.log().snapshot().judge(cut, after.atNanos(), INTERVAL, ClusterIT::any);
		int moved = moved(before.owners(), after.owners());
		figure("db-outage-all",
				"outage_ms=" + outage.toMillis() + " recovery_ms="
						+ TimeUnit.NANOSECONDS.toMillis(after.atNanos() - restored) + " moved=" + moved + " states="
						+ states.entrySet()
							.stream()
							.map((entry) -> entry.getKey() + ":" + String.join(">", entry.getValue()))
							.collect(Collectors.joining(","))
						+ " " + verdict.figures());
		assertThat(moved).as("partitions whose owner changed across a database outage of every replica").isZero();
		assertVerdict(verdict, "database outage of every replica");
		assertThat(verdict.missed()).as("missed slots; %s", verdict.examples()).isZero();
	}

	@Test
	@Order(4)
	void whenOneReplicaLosesTheDatabaseTheOthersShouldTakeOverWithinTheBound() throws Exception {
		Cluster.Settled before = settle(THREE, SETTLE);
		Replica isolated = cluster.replica("r3");
		Set<Integer> lostTargets = targetsOf("r3", before.owners());
		Set<String> survivors = Set.of("r1", "r2");
		long cut = System.nanoTime();
		long takeover;
		String isolatedState;
		long restored;
		try {
			isolated.proxy().cut();
			takeover = cluster.awaitOwnedOnlyBy(survivors, Duration.ofMillis(50), PROFILE.takeover().multipliedBy(3));
			// Hold the outage on so the isolated replica's "continue" probes show.
			long hold = Math.max(takeover + TimeUnit.SECONDS.toNanos(2), cut + PROFILE.lease().toNanos() * 2);
			TimeUnit.NANOSECONDS.sleep(Math.max(0, hold - System.nanoTime()));
			ClusterView view = isolated.cluster();
			isolatedState = (view != null) ? view.state() : "no-answer";
		}
		finally {
			restored = System.nanoTime();
			isolated.proxy().restore();
		}
		Cluster.Settled after = settle(THREE, SETTLE);
		Thread.sleep(LAND.toMillis());
		ProbeHistory history = farm.log().snapshot();
		ProbeHistory.Verdict verdict = history.judge(cut, after.atNanos(), INTERVAL, ClusterIT::any);
		int member = history.member("r3");
		int overlapping = 0;
		long lastOverlap = Long.MIN_VALUE;
		for (int target : lostTargets) {
			List<Long> stale = history.probesInsideOthersCadence(target, member, cut, after.atNanos(), INTERVAL);
			overlapping += stale.size();
			for (long time : stale) {
				lastOverlap = Math.max(lastOverlap, time);
			}
		}
		long takeoverMillis = TimeUnit.NANOSECONDS.toMillis(takeover - cut);
		figure("db-outage-one", "takeover_ms=" + takeoverMillis + " bound_ms=" + PROFILE.takeover().toMillis()
				+ " isolated_state=" + isolatedState + " isolated_probes_inside_new_owner=" + overlapping
				+ " last_overlap_after_restore_ms="
				+ ((lastOverlap == Long.MIN_VALUE) ? "none" : TimeUnit.NANOSECONDS.toMillis(lastOverlap - restored))
				+ " rejoin_ms=" + TimeUnit.NANOSECONDS.toMillis(after.atNanos() - restored) + " " + verdict.figures());
		// Duplicates and overlaps are the documented cost of "continue": reported, not
		// asserted.
		assertThat(takeoverMillis).as("ms until the survivors own every partition (bound %s x 3)", PROFILE.takeover())
			.isLessThanOrEqualTo(PROFILE.takeover().multipliedBy(3).toMillis());
	}

	@Test
	@Order(5)
	void onSigtermAReplicaShouldHandItsPartitionsOverWithNoMissedOrDuplicateProbe() throws Exception {
		Cluster.Settled before = settle(THREE, SETTLE);
		Replica leaving = cluster.replica("r2");
		Set<Integer> handedOver = targetsOf("r2", before.owners());
		Set<String> survivors = Set.of("r1", "r3");
		long sigterm = System.nanoTime();
		leaving.sigterm();
		cluster.gone("r2");
		long handover = cluster.awaitOwnedOnlyBy(survivors, Duration.ofMillis(50), Duration.ofSeconds(10));
		Integer exit = leaving.awaitExit(Duration.ofSeconds(30));
		long exited = System.nanoTime();
		long windowEnd = sigterm + TimeUnit.SECONDS.toNanos(4);
		// The probes due by the window's end must have landed before the snapshot, or its
		// trailing gaps count as missed.
		Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(windowEnd - System.nanoTime())) + LAND.toMillis());
		ProbeHistory history = farm.log().snapshot();
		ProbeHistory.Verdict verdict = history.judge(sigterm - TimeUnit.SECONDS.toNanos(2), windowEnd, INTERVAL,
				ClusterIT::any);
		int member = history.member("r2");
		long lastProbe = Long.MIN_VALUE;
		List<Long> newOwnerFirst = new ArrayList<>();
		for (int target : handedOver) {
			Long last = history.lastProbeBy(target, member, Long.MAX_VALUE);
			lastProbe = (last != null) ? Math.max(lastProbe, last) : lastProbe;
			Long first = history.firstProbe(target, sigterm, member);
			if (first != null) {
				newOwnerFirst.add(TimeUnit.NANOSECONDS.toMillis(first - sigterm));
			}
		}
		long handoverMillis = TimeUnit.NANOSECONDS.toMillis(handover - sigterm);
		figure("sigterm",
				"handover_ms=" + handoverMillis + " exit=" + exit + " exit_ms="
						+ TimeUnit.NANOSECONDS.toMillis(exited - sigterm) + " handed_over_targets=" + handedOver.size()
						+ " last_probe_of_leaver_ms="
						+ ((lastProbe == Long.MIN_VALUE) ? "none" : TimeUnit.NANOSECONDS.toMillis(lastProbe - sigterm))
						+ " new_owner_first_probe_p50_ms=" + percentile(newOwnerFirst, 50)
						+ " new_owner_first_probe_max_ms=" + percentile(newOwnerFirst, 100) + " " + verdict.figures());
		assertThat(exit).as("exit status of r2 after SIGTERM (%s)", leaving.log()).isIn(0, 143);
		assertThat(handoverMillis).as("ms from SIGTERM until the survivors own every partition (target: 1 s)")
			.isLessThanOrEqualTo(3000);
		assertThat(newOwnerFirst).as("handed-over targets probed again").hasSize(handedOver.size());
		assertVerdict(verdict, "hand-over on SIGTERM");
		// The leaver publishes when it last started each target's probe, after probing
		// stopped and in the push's transaction; the new owner goes on from the next
		// slot.
		assertThat(verdict.missed()).as("missed slots; %s", verdict.examples()).isZero();
		assertThat(verdict.duplicates()).as("duplicates; %s", verdict.examples()).isZero();

		rejoin("r2", "restart-after-sigterm");
	}

	@Test
	@Order(6)
	void aJoiningReplicaShouldTakeItsFairShareWithNoMissedProbe() throws Exception {
		Cluster.Settled before = settle(THREE, SETTLE);
		int ownedBefore = before.counts().getOrDefault("r1", 0);
		Set<String> four = Set.of("r1", "r2", "r3", "r4");
		long join;
		long readyMillis;
		Cluster.Settled after;
		int released;
		int acquired;
		try (EventTap events = EventTap.open(cluster.replica("r1"))) {
			join = System.nanoTime();
			Replica joining = cluster.start("r4");
			readyMillis = joining.awaitReady(READY);
			after = settle(four, SETTLE);
			// The events of the last moves may trail the views by a moment.
			Thread.sleep(500);
			long now = System.nanoTime();
			released = events.partitions("partition-released", join, now);
			acquired = events.partitions("partition-acquired", join, now);
		}
		Thread.sleep(LAND.toMillis());
		ProbeHistory.Verdict verdict = farm.log().snapshot().judge(join, after.atNanos(), INTERVAL, ClusterIT::any);
		int ownedAfter = after.counts().getOrDefault("r1", 0);
		figure("join",
				"ready_ms=" + readyMillis + " settle_ms=" + TimeUnit.NANOSECONDS.toMillis(after.atNanos() - join) + " "
						+ shares(after) + " r1_released_events_partitions=" + released
						+ " r1_acquired_events_partitions=" + acquired + " r1_owned_before=" + ownedBefore
						+ " r1_owned_after=" + ownedAfter + " " + verdict.figures());
		assertThat(after.skew()).as("largest share over 1024/4: %s", after.counts())
			.isLessThanOrEqualTo(Cluster.MAX_SKEW);
		assertThat(released - acquired).as("partitions r1's event stream says it released, net of acquired")
			.isEqualTo(ownedBefore - ownedAfter);
		assertVerdict(verdict, "join");
		assertThat(verdict.duplicates()).as("duplicates; %s", verdict.examples()).isZero();
		// A join's hand-overs are exact as SIGTERM's (0 missed in every run on a quiet
		// machine), but the joiner is a cold JVM starting on the same 2 cores: in a CI
		// run
		// whose JVMs took 12 s to start instead of 7, every replica's probes stalled for
		// seconds while it compiled (72 missed of 350 targets, most not moved). Reported;
		// bounded so that moved targets left unprobed would still fail.
		assertThat(verdict.missed()).as("missed slots; %s", verdict.examples()).isLessThanOrEqualTo(TARGETS / 2);
	}

	@Test
	@Order(7)
	void afterKillDashNineTheSurvivorsShouldTakeOverWithinTheBound() throws Exception {
		Set<String> four = Set.of("r1", "r2", "r3", "r4");
		Cluster.Settled before = settle(four, SETTLE);
		Set<Integer> orphaned = targetsOf("r4", before.owners());
		long kill = System.nanoTime();
		cluster.replica("r4").kill9();
		cluster.gone("r4");
		long takeover = cluster.awaitOwnedOnlyBy(THREE, Duration.ofMillis(50), PROFILE.takeover().multipliedBy(3));
		long reprobeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		ProbeHistory history;
		List<Long> reprobed;
		do {
			Thread.sleep(200);
			history = farm.log().snapshot();
			int member = history.member("r4");
			reprobed = new ArrayList<>();
			for (int target : orphaned) {
				Long first = history.firstProbe(target, kill, member);
				if (first != null) {
					reprobed.add(TimeUnit.NANOSECONDS.toMillis(first - kill));
				}
			}
		}
		while (reprobed.size() < orphaned.size() && System.nanoTime() < reprobeDeadline);
		Cluster.Settled after = settle(THREE, SETTLE);
		Thread.sleep(LAND.toMillis());
		ProbeHistory.Verdict verdict = farm.log()
			.snapshot()
			.judge(kill - TimeUnit.SECONDS.toNanos(2), after.atNanos(), INTERVAL, ClusterIT::any);
		long takeoverMillis = TimeUnit.NANOSECONDS.toMillis(takeover - kill);
		figure("kill9",
				"takeover_ms=" + takeoverMillis + " bound_ms=" + PROFILE.takeover().toMillis() + " orphaned_targets="
						+ orphaned.size() + " reprobed=" + reprobed.size() + " reprobe_p50_ms="
						+ percentile(reprobed, 50) + " reprobe_max_ms=" + percentile(reprobed, 100) + " settle_ms="
						+ TimeUnit.NANOSECONDS.toMillis(after.atNanos() - kill) + " " + verdict.figures());
		assertThat(takeoverMillis).as("ms until every partition is owned again (bound %s x 3)", PROFILE.takeover())
			.isLessThanOrEqualTo(PROFILE.takeover().multipliedBy(3).toMillis());
		assertThat(reprobed).as("targets of the killed replica probed again").hasSize(orphaned.size());
		assertVerdict(verdict, "kill -9");
	}

	@Test
	@Order(8)
	void aReplicaStoppedPastItsLeaseShouldNotProbeWhatItLostWhenItWakes() throws Exception {
		Cluster.Settled before = settle(THREE, SETTLE);
		Replica stopped = cluster.replica("r2");
		Set<Integer> itsTargets = targetsOf("r2", before.owners());
		Set<String> survivors = Set.of("r1", "r3");
		Duration pause = longer(Duration.ofSeconds(8), PROFILE.lease().plusSeconds(5));
		long stop = System.nanoTime();
		long takeover;
		long cont;
		stopped.sigstop();
		try {
			takeover = cluster.awaitOwnedOnlyBy(survivors, Duration.ofMillis(50), PROFILE.takeover().multipliedBy(3));
			TimeUnit.NANOSECONDS.sleep(Math.max(0, stop + pause.toNanos() - System.nanoTime()));
		}
		finally {
			cont = System.nanoTime();
			stopped.sigcont();
		}
		List<String> states = new ArrayList<>();
		while (System.nanoTime() - cont < TimeUnit.SECONDS.toNanos(3)) {
			ClusterView view = stopped.cluster();
			String state = (view != null) ? view.state() + "/" + view.owned() : "no-answer";
			if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
				states.add(state);
			}
			Thread.sleep(200);
		}
		Cluster.Settled after = settle(THREE, SETTLE);
		Thread.sleep(LAND.toMillis());
		ProbeHistory history = farm.log().snapshot();
		int member = history.member("r2");
		Set<Integer> lost = new TreeSet<>();
		int stale = 0;
		int firstSecond = 0;
		List<String> examples = new ArrayList<>();
		for (int target : itsTargets) {
			Set<String> probers = history.probers(target, stop, cont);
			probers.remove("r2");
			if (probers.isEmpty()) {
				continue;
			}
			lost.add(target);
			firstSecond += history.probesBy(target, member, cont, cont + TimeUnit.SECONDS.toNanos(1)).size();
			List<Long> inside = history.probesInsideOthersCadence(target, member, cont, after.atNanos(), INTERVAL);
			stale += inside.size();
			if (!inside.isEmpty() && examples.size() < 10) {
				examples.add(name(target) + " at +" + TimeUnit.NANOSECONDS.toMillis(inside.get(0) - cont) + " ms");
			}
		}
		ProbeHistory.Verdict verdict = history.judge(stop, after.atNanos(), INTERVAL, ClusterIT::any);
		long takeoverMillis = TimeUnit.NANOSECONDS.toMillis(takeover - stop);
		figure("sigstop",
				"pause_ms=" + pause.toMillis() + " takeover_ms=" + takeoverMillis + " lost_targets=" + lost.size()
						+ " stale_probes=" + stale + " probes_of_lost_in_first_second_after_cont=" + firstSecond
						+ " states_after_cont=" + String.join(">", states) + " settle_after_cont_ms="
						+ TimeUnit.NANOSECONDS.toMillis(after.atNanos() - cont) + " " + verdict.figures());
		assertThat(takeoverMillis).as("ms until the survivors own every partition (bound %s x 3)", PROFILE.takeover())
			.isLessThanOrEqualTo(PROFILE.takeover().multipliedBy(3).toMillis());
		assertThat(lost).as("targets of r2 the survivors probed while it was stopped").hasSize(itsTargets.size());
		assertThat(stale).as("probes r2 sent after SIGCONT for partitions someone else owned: %s", examples).isZero();
		assertVerdict(verdict, "SIGSTOP and SIGCONT");
	}

	@Test
	@Order(9)
	void killingAndRestartingReplicasOverAndOverShouldNeverGiveAPartitionTwoOwners() throws Exception {
		settle(THREE, SETTLE);
		long seed = Long.getLong("pulse.cluster.seed", System.nanoTime());
		Random random = new Random(seed);
		List<String> members = List.copyOf(new TreeSet<>(THREE));
		int killedReady = 0;
		long loop = System.nanoTime();
		for (int iteration = 0; iteration < ITERATIONS; iteration++) {
			String victim = members.get(random.nextInt(members.size()));
			awaitAnotherReady(victim);
			Replica replica = cluster.replica(victim);
			killedReady += replica.ready() ? 1 : 0;
			replica.kill9();
			cluster.restart(victim);
			Thread.sleep((long) (PACE.toMillis() * (0.5 + random.nextDouble())));
		}
		long loopEnd = System.nanoTime();
		for (Replica replica : cluster.running(THREE)) {
			replica.awaitReady(READY);
		}
		Cluster.Settled after = settle(THREE, SETTLE.multipliedBy(2));
		Thread.sleep(LAND.toMillis());
		ProbeHistory.Verdict verdict = farm.log().snapshot().judge(loop, after.atNanos(), INTERVAL, ClusterIT::any);
		figure("kill-loop",
				"iterations=" + ITERATIONS + " seed=" + seed + " loop_s="
						+ TimeUnit.NANOSECONDS.toSeconds(loopEnd - loop) + " killed_ready=" + killedReady
						+ " killed_starting=" + (ITERATIONS - killedReady) + " settle_after_loop_ms="
						+ TimeUnit.NANOSECONDS.toMillis(after.atNanos() - loopEnd) + " " + shares(after) + " "
						+ verdict.figures());
		assertThat(after.owners()).as("partitions owned after the loop").hasSize(ClusterView.PARTITIONS);
		assertVerdict(verdict, "kill/restart loop (seed " + seed + ")");
	}

	/**
	 * Wait for a settled cluster. Once a wait has failed, later ones get 10 s at most: a
	 * cluster that does not settle fails every later scenario, and waiting out each
	 * deadline again would keep the suite past its 15 minutes.
	 */
	private static Cluster.Settled settle(Set<String> members, Duration deadline) throws InterruptedException {
		try {
			return cluster.awaitSettled(members, unsettled ? Duration.ofSeconds(10) : deadline);
		}
		catch (AssertionError ex) {
			unsettled = true;
			throw ex;
		}
	}

	/** A sane loop: some member other than the victim is ready before the kill. */
	private static void awaitAnotherReady(String victim) throws InterruptedException {
		long deadline = System.nanoTime() + READY.toNanos();
		while (System.nanoTime() < deadline) {
			for (Replica replica : cluster.running(THREE)) {
				if (!replica.memberId().equals(victim) && replica.ready()) {
					return;
				}
			}
			Thread.sleep(100);
		}
		throw new AssertionError("no replica but " + victim + " ready within " + READY + cluster.logHint(THREE));
	}

	/** Start a member that stopped, and wait for it to be ready with a fair share. */
	private static void rejoin(String memberId, String scenario) throws Exception {
		long start = System.nanoTime();
		Replica replica = cluster.restart(memberId);
		long ready = replica.awaitReady(READY);
		Cluster.Settled settled = settle(THREE, SETTLE);
		figure(scenario, "ready_ms=" + ready + " settle_ms=" + TimeUnit.NANOSECONDS.toMillis(settled.atNanos() - start)
				+ " " + shares(settled));
	}

	private static void assertVerdict(ProbeHistory.Verdict verdict, String scenario) {
		assertThat(farm.unknownRequests()).as("requests to no target at the farm").isZero();
		assertThat(verdict.concurrentOwners()).as("concurrent owners in %s: %s", scenario, verdict.examples()).isZero();
	}

	private static int moved(Map<Integer, String> before, Map<Integer, String> after) {
		int moved = 0;
		for (int partition = 0; partition < ClusterView.PARTITIONS; partition++) {
			String owner = before.get(partition);
			moved += (owner == null || !owner.equals(after.get(partition))) ? 1 : 0;
		}
		return moved;
	}

	/** The farm ids of every target (configured and registered) a member owns. */
	private static Set<Integer> targetsOf(String memberId, Map<Integer, String> owners) {
		Set<Integer> targets = new TreeSet<>();
		for (int target = 0; target < TARGETS; target++) {
			if (memberId.equals(owners.get(ClusterView.partition(name(target))))) {
				targets.add(target);
			}
		}
		for (int i = 0; i < REGISTRATIONS; i++) {
			if (memberId.equals(owners.get(ClusterView.partition(registered(i))))) {
				targets.add(REGISTERED_BASE + i);
			}
		}
		return targets;
	}

	private static String shares(Cluster.Settled settled) {
		StringBuilder shares = new StringBuilder();
		settled.counts()
			.forEach((member, count) -> shares.append("owned_").append(member).append('=').append(count).append(' '));
		return shares.append(String.format(Locale.ROOT, "skew=%.3f", settled.skew())).toString();
	}

	/**
	 * For each flipped target whose down {@code target-state} event reached every
	 * replica's stream: ms from the owner's change ({@code at}) to its arrival at the
	 * last stream.
	 */
	private static List<Long> streamedPropagation(List<EventTap> taps, long from) {
		long nowNanos = System.nanoTime();
		long nowMillis = System.currentTimeMillis();
		List<Long> millis = new ArrayList<>();
		for (int target = 0; target < FLIPPED; target++) {
			String name = name(target);
			Instant at = null;
			long last = Long.MIN_VALUE;
			boolean everywhere = true;
			for (EventTap tap : taps) {
				EventTap.Event down = null;
				for (EventTap.Event event : tap.events("target-state", from, nowNanos)) {
					JsonNode data = Replica.JSON.readTree(event.data());
					if (name.equals(data.path("target").asString("")) && isDown(data.path("to").asString(""))) {
						down = event;
						Instant changed = Instant.parse(data.path("at").asString());
						at = (at == null || changed.isBefore(at)) ? changed : at;
						break;
					}
				}
				if (down == null) {
					everywhere = false;
					break;
				}
				last = Math.max(last, down.nanos());
			}
			if (everywhere && at != null) {
				long arrivedMillis = nowMillis - TimeUnit.NANOSECONDS.toMillis(nowNanos - last);
				millis.add(arrivedMillis - at.toEpochMilli());
			}
		}
		return millis;
	}

	private static boolean isDown(String state) {
		return state.equals("UNHEALTHY") || state.equals("DEGRADED");
	}

	private static @Nullable Instant changeAt(JsonNode target) {
		JsonNode change = target.path("changes").path(0);
		if (!isDown(change.path("to").asString(""))) {
			return null;
		}
		JsonNode at = change.path("at");
		if (at.isNumber()) {
			double seconds = at.asDouble();
			return Instant.ofEpochSecond((long) seconds, (long) ((seconds % 1) * 1e9));
		}
		try {
			return Instant.parse(at.asString(""));
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** The nearest-rank percentile of a list of milliseconds, or -1 if it is empty. */
	static long percentile(List<Long> values, int percent) {
		if (values.isEmpty()) {
			return -1;
		}
		List<Long> sorted = values.stream().sorted().toList();
		int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
		return sorted.get(Math.max(0, rank - 1));
	}

	private static Duration longer(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	static void figure(String scenario, String figures) {
		String line = "CLUSTER-FIGURE scenario=" + scenario + " " + figures.strip();
		FIGURES.add(line);
		System.out.println(line);
	}

	static String name(int target) {
		return "t" + target;
	}

	static String registered(int index) {
		return "reg-" + index;
	}

	private static boolean configured(int target) {
		return target < TARGETS;
	}

	private static boolean any(int target) {
		return true;
	}

	private static String registration(int target) {
		return "{\"url\":\"" + farm.url(target) + "\",\"interval\":\"1s\",\"timeout\":\"500ms\","
				+ "\"conditions\":[\"[STATUS] == 200\"],\"retry\":{\"max-attempts\":1}}";
	}

	private static Path writeTargetsFile(Path file) throws IOException {
		StringBuilder yaml = new StringBuilder("targets:\n");
		for (int target = 0; target < TARGETS; target++) {
			yaml.append("  ").append(name(target)).append(":\n");
			yaml.append("    url: ").append(farm.url(target)).append('\n');
			yaml.append("    interval: 1s\n    timeout: 500ms\n");
			yaml.append("    conditions: [\"[STATUS] == 200\"]\n");
			yaml.append("    retry:\n      max-attempts: 1\n");
		}
		return Files.writeString(file, yaml);
	}

}
