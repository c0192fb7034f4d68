package dev.pulse.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.pulse.probe.FailureReason;
import dev.pulse.probe.ProbeResult;
import dev.pulse.probe.ResultHistory;
import dev.pulse.probe.ResultsProperties;
import dev.pulse.probe.TestProbers;
import dev.pulse.support.FaultServer;
import dev.pulse.support.TestTransport;
import dev.pulse.target.PulseProperties;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;
import dev.pulse.transport.PoolSnapshot;
import dev.pulse.transport.ProbeTransport;

import static dev.pulse.support.TestTargets.target;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Isolation and liveness under load: 100 healthy targets keep their interval while 100
 * other targets hang, with the real scheduler, prober and pool on loopback.
 * <p>
 * Each group of 25 targets sits behind one host:port, so each hanging host gets far more
 * probes at once than its {@code max-connections-per-host} cap of 8: its 8 connections
 * hang until the probe timeout, and the other 17 probes wait for one of them. That cap
 * and its wait queue are per host:port, so the hanging hosts starve only their own
 * targets; the healthy hosts, on other ports, never wait for a connection. (Healthy
 * targets behind a hanging host would starve with it, by design: the cap protects the
 * host.)
 * <p>
 * The same 100 healthy targets run twice for a bounded window: alone (the baseline), then
 * beside the 100 hanging ones. The second must keep every healthy target on schedule and
 * may not be measurably worse than the first. The first must keep the same schedule, or
 * it measured the machine, not Pulse: it gets one more try, and then the test fails with
 * the numbers (it used to be skipped, which hid the case from CI), since keeping 100
 * loopback targets on time by themselves is a promise of its own. Takes 22 s, 33 s with
 * the second baseline.
 */
class IsolationTest {

	private static final Duration INTERVAL = Duration.ofMillis(500);

	private static final Duration TIMEOUT = Duration.ofMillis(400);

	private static final Duration JITTER = Duration.ofMillis(50);

	/**
	 * Not measured: the first connections to each host, class loading and JIT compiling
	 * would weigh on whichever run came first.
	 */
	private static final Duration WARM_UP = Duration.ofSeconds(2);

	private static final Duration WINDOW = Duration.ofSeconds(8);

	private static final int PER_HOST = 25;

	/**
	 * A healthy target's probes start {@code interval ± 2 x jitter} apart (each slot is
	 * shifted by up to ±jitter): 600 ms at most. A probe start held up by a hanging probe
	 * for a timeout would pass the bound of interval + timeout + jitter (950 ms); the 350
	 * ms between them absorb the stalls of a loaded 2-CPU machine (a whole JVM
	 * descheduled, GC, paranoid leak detection on every buffer).
	 */
	private static final long MAX_GAP_MS = INTERVAL.plus(TIMEOUT).plus(JITTER).toMillis();

	/**
	 * How much the hanging half may raise the 99th percentile of healthy gaps: half a
	 * timeout. One stall of the whole JVM delays every target due in it at once, so with
	 * 100 targets a single stall of ~100 ms moves the p99 of one run; hanging probes that
	 * held up healthy ones would cost them up to a whole timeout in every slot.
	 */
	private static final long P99_TOLERANCE_MS = TIMEOUT.toMillis() / 2;

	/**
	 * How much the hanging half may raise the 99th percentile of healthy probe durations:
	 * half a timeout. Healthy probes take a few ms on loopback, tens under load; one that
	 * waited for a connection held by a hung probe would wait up to the timeout.
	 */
	private static final double DURATION_P99_TOLERANCE_MS = TIMEOUT.toMillis() / 2.0;

	/**
	 * Healthy probes that may fail or skip a slot, as a share of all healthy probes in a
	 * run: a stall longer than the timeout fails the few probes in flight, which says
	 * nothing about isolation. Starving a healthy host would fail all of its 25 targets'
	 * probes, a quarter of the healthy ones.
	 */
	private static final double MAX_MISSED_SHARE = 0.01;

	/** Probes each healthy target must get in the window: 16 on schedule, 12 at least. */
	private static final int MIN_PROBES = 12;

	private static final Set<FailureReason> HANGING_REASONS = EnumSet.of(FailureReason.TIMEOUT,
			FailureReason.POOL_EXHAUSTED);

	private static final List<FaultServer> healthy = List.of(FaultServer.start(FaultServer.healthy()),
			FaultServer.start(FaultServer.healthy()), FaultServer.start(FaultServer.healthy()),
			FaultServer.start(FaultServer.healthy()));

	private static final List<FaultServer> hanging = List.of(FaultServer.start(FaultServer.hangAfterAccept()),
			FaultServer.start(FaultServer.hangAfterAccept()), FaultServer.start(FaultServer.hangAfterHeaders()),
			FaultServer.start(FaultServer.trickle(Duration.ofMillis(50))));

	@AfterAll
	static void stopServers() {
		healthy.forEach(FaultServer::close);
		hanging.forEach(FaultServer::close);
	}

	@Test
	void hangingHalfShouldNotDelayTheHealthyHalf() throws InterruptedException {
		Run baseline = run(false);
		if (!baseline.violations().isEmpty()) {
			// One more try: a baseline that misses its own schedule measured the machine.
			baseline = run(false);
		}
		Run measured = baseline;
		// A skip would hide a scheduler that cannot keep 100 loopback targets on time by
		// themselves; that is a failure of its own.
		assertThat(measured.violations())
			.as("even without hanging targets, twice (a machine too loaded, or a slow scheduler); %s", measured)
			.isEmpty();

		Run loaded = run(true);

		assertThat(loaded.violations()).as("%s%n%s", loaded, baseline).isEmpty();
		assertThat(percentile(loaded.gapsMs(), 0.99)).as("p99 gap; %s%n%s", loaded, baseline)
			.isLessThanOrEqualTo(percentile(baseline.gapsMs(), 0.99) + P99_TOLERANCE_MS);
		assertThat(percentile(loaded.durationsMs(), 0.99)).as("p99 duration; %s%n%s", loaded, baseline)
			.isLessThanOrEqualTo(percentile(baseline.durationsMs(), 0.99) + DURATION_P99_TOLERANCE_MS);

		// The hanging half really hung, and filled its hosts' caps: they starved
		// themselves.
		List<ProbeResult> hung = loaded.results.entrySet()
			.stream()
			.filter(entry -> entry.getKey().startsWith("hanging-"))
			.flatMap(entry -> entry.getValue().stream())
			.toList();
		assertThat(hung).hasSizeGreaterThan(4 * PER_HOST)
			.allSatisfy(result -> assertThat(result.reason()).isIn(HANGING_REASONS));
		for (FaultServer server : hanging) {
			String host = "127.0.0.1:" + server.port();
			assertThat(loaded.maxActive.get(host)).as("most connections at once to %s", host).isEqualTo(8);
			assertThat(loaded.maxPending.get(host)).as("most probes waiting for %s", host).isPositive();
		}
	}

	/**
	 * Schedule the healthy targets, and the hanging ones if asked, for {@link #WINDOW};
	 * sample the pool meanwhile; stop, and keep what happened.
	 */
	private static Run run(boolean withHanging) throws InterruptedException {
		ProbeTransport transport = TestTransport.defaults().build();
		ResultHistory history = new ResultHistory(new ResultsProperties(100));
		TargetRegistry empty = new TargetRegistry(new PulseProperties(
				new PulseProperties.Defaults(Duration.ofSeconds(10), Duration.ofSeconds(5), null, List.of(), null),
				Map.of()));
		ProbeScheduler scheduler = new ProbeScheduler(empty, TestProbers.http(transport), List.of(history),
				IntervalPolicy.FIXED, transport);
		List<Target> targets = new ArrayList<>(targets("healthy", healthy));
		if (withHanging) {
			targets.addAll(targets("hanging", hanging));
		}
		Run run = new Run(withHanging ? "with the hanging half" : "baseline");
		try {
			scheduler.start();
			targets.forEach(scheduler::schedule);
			Thread.sleep(WARM_UP.toMillis());
			Map<String, Long> skippedBefore = skipped(scheduler, targets);
			Instant from = Instant.now();
			long end = System.nanoTime() + WINDOW.toNanos();
			while (System.nanoTime() < end) {
				Thread.sleep(250);
				run.sample(transport.snapshot());
			}
			skipped(scheduler, targets).forEach((name, count) -> run.skipped += count - skippedBefore.get(name));
			run.from = from;
		}
		finally {
			scheduler.stop();
			transport.close(Duration.ofSeconds(5));
		}
		for (Target target : targets) {
			List<ProbeResult> results = new ArrayList<>(history.recent(target.name(), 100));
			Collections.reverse(results);
			// Probes of the window, and the one before it: the window's first gap.
			int first = 0;
			while (first < results.size() - 1 && results.get(first + 1).timestamp().isBefore(run.from)) {
				first++;
			}
			results = results.subList(first, results.size());
			run.results.put(target.name(), results);
		}
		return run;
	}

	private static Map<String, Long> skipped(ProbeScheduler scheduler, List<Target> targets) {
		Map<String, Long> skipped = new HashMap<>();
		for (Target target : targets) {
			if (target.name().startsWith("healthy-")) {
				skipped.put(target.name(), scheduler.skippedSlots(target.name()).orElse(0));
			}
		}
		return skipped;
	}

	private static List<Target> targets(String prefix, List<FaultServer> servers) {
		List<Target> targets = new ArrayList<>();
		for (int s = 0; s < servers.size(); s++) {
			for (int i = 0; i < PER_HOST; i++) {
				String name = prefix + "-" + s + "-" + i;
				targets.add(target(servers.get(s).url("/" + name)).name(name)
					.interval(INTERVAL)
					.timeout(TIMEOUT)
					.jitter(JITTER)
					.build());
			}
		}
		return targets;
	}

	private static <T extends Comparable<T>> T percentile(List<T> values, double fraction) {
		List<T> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get((int) Math.ceil(fraction * sorted.size()) - 1);
	}

	/**
	 * What one run observed: results oldest first, skipped slots, pool peaks per host.
	 */
	private static final class Run {

		final String name;

		final Map<String, List<ProbeResult>> results = new HashMap<>();

		final Map<String, Integer> maxActive = new HashMap<>();

		final Map<String, Integer> maxPending = new HashMap<>();

		long skipped;

		Instant from = Instant.MAX;

		Run(String name) {
			this.name = name;
		}

		void sample(PoolSnapshot snapshot) {
			for (PoolSnapshot.Host host : snapshot.hosts()) {
				this.maxActive.merge(host.host(), host.active(), Math::max);
				this.maxPending.merge(host.host(), host.pending(), Math::max);
			}
		}

		List<ProbeResult> healthyResults() {
			return this.results.entrySet()
				.stream()
				.filter(entry -> entry.getKey().startsWith("healthy-"))
				.flatMap(entry -> entry.getValue().stream())
				.toList();
		}

		/**
		 * How the healthy targets missed their schedule: too many failed or skipped
		 * probes, too few probes, a gap past the bound; empty when they kept it.
		 */
		List<String> violations() {
			List<String> violations = new ArrayList<>();
			List<String> failed = healthyResults().stream()
				.filter(result -> !result.success())
				.map(ProbeResult::error)
				.toList();
			if (failed.size() + this.skipped > MAX_MISSED_SHARE * healthyResults().size()) {
				violations.add(failed.size() + " failed " + failed + " and " + this.skipped + " skipped");
			}
			this.results.forEach((name, results) -> {
				if (name.startsWith("healthy-") && results.size() < MIN_PROBES) {
					violations.add(name + " probed " + results.size() + " times");
				}
			});
			long longest = percentile(gapsMs(), 1.0);
			if (longest > MAX_GAP_MS) {
				violations.add("a gap of " + longest + " ms, over " + MAX_GAP_MS + " ms");
			}
			return violations;
		}

		@Override
		public String toString() {
			return String.format(
					"%s: gaps p50 %d, p99 %d, max %d ms; durations p99 %.1f, max %.1f ms; %d gaps, %d skipped",
					this.name, percentile(gapsMs(), 0.5), percentile(gapsMs(), 0.99), percentile(gapsMs(), 1.0),
					percentile(durationsMs(), 0.99), percentile(durationsMs(), 1.0), gapsMs().size(), this.skipped);
		}

		List<Long> gapsMs() {
			List<Long> gaps = new ArrayList<>();
			this.results.forEach((name, results) -> {
				if (name.startsWith("healthy-")) {
					for (int i = 1; i < results.size(); i++) {
						gaps.add(Duration.between(results.get(i - 1).timestamp(), results.get(i).timestamp())
							.toMillis());
					}
				}
			});
			return gaps;
		}

		List<Double> durationsMs() {
			return healthyResults().stream().map(ProbeResult::durationMs).toList();
		}

	}

}
