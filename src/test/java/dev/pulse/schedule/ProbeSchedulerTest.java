package dev.pulse.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.pulse.probe.FailureReason;
import dev.pulse.probe.ProbeResult;
import dev.pulse.probe.Prober;
import dev.pulse.probe.ResultHistory;
import dev.pulse.probe.ResultsProperties;
import dev.pulse.support.FaultServer;
import dev.pulse.support.TestTransport;
import dev.pulse.target.PulseProperties;
import dev.pulse.target.TargetRegistry;
import dev.pulse.transport.ProbeTransport;

import static dev.pulse.support.TestTargets.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The scheduler on real event loops, with real probes where the network matters. */
class ProbeSchedulerTest {

	private final ProbeTransport transport = TestTransport.defaults().build();

	private final ResultHistory history = new ResultHistory(new ResultsProperties(100));

	private ProbeScheduler scheduler;

	private ProbeScheduler start(Prober prober) {
		TargetRegistry empty = new TargetRegistry(new PulseProperties(new PulseProperties.Defaults(
				Duration.ofSeconds(10), Duration.ofSeconds(5), null, List.of("[STATUS] == 200"), null), Map.of()));
		this.scheduler = new ProbeScheduler(empty, prober, List.of(this.history), IntervalPolicy.FIXED, this.transport);
		this.scheduler.start();
		return this.scheduler;
	}

	private Prober realProber() {
		return dev.pulse.probe.TestProbers.http(this.transport);
	}

	@AfterEach
	void stop() {
		if (this.scheduler != null && this.scheduler.isRunning()) {
			this.scheduler.stop();
		}
		this.transport.close(Duration.ofSeconds(5));
	}

	@Test
	void hangingTargetShouldNeverDelayAHealthyOne() {
		try (FaultServer healthy = FaultServer.start(FaultServer.healthy());
				FaultServer hanging = FaultServer.start(FaultServer.hangAfterAccept())) {
			ProbeScheduler scheduler = start(realProber());
			Duration interval = Duration.ofMillis(200);
			scheduler.schedule(target(healthy.url("/health")).name("healthy").interval(interval).build());
			scheduler
				.schedule(target(hanging.url("/health")).name("hanging").interval(interval).timeout(interval).build());

			await().atMost(Duration.ofSeconds(10)).until(() -> this.history.recent("healthy", 100).size() >= 12);

			List<ProbeResult> results = this.history.recent("healthy", 100);
			assertThat(results).allMatch(ProbeResult::success);
			List<Instant> starts = new ArrayList<>(results.stream().map(ProbeResult::timestamp).toList());
			java.util.Collections.reverse(starts);
			for (int i = 1; i < starts.size(); i++) {
				long gapMs = Duration.between(starts.get(i - 1), starts.get(i)).toMillis();
				// interval, no jitter, plus one wheel tick and scheduling noise
				assertThat(gapMs).as("gap %d", i).isBetween(200L - 20, 200L + 60);
			}
			assertThat(this.history.recent("hanging", 100)).isNotEmpty()
				.allSatisfy(r -> assertThat(r.reason()).isEqualTo(FailureReason.TIMEOUT));
		}
	}

	@Test
	void targetsBehindOneHostShouldShareAtMostTheCapOfConnections() {
		try (FaultServer server = FaultServer.start(FaultServer.slow(Duration.ofMillis(20)))) {
			ProbeScheduler scheduler = start(realProber());
			for (int i = 0; i < 40; i++) {
				scheduler.schedule(target(server.url("/health/" + i)).name("t" + i)
					.interval(Duration.ofMillis(200))
					.jitter(Duration.ofMillis(20))
					.build());
			}

			await().atMost(Duration.ofSeconds(15)).until(() -> server.requestsServed() >= 400);

			assertThat(server.acceptedConnections()).isBetween(1, 8);
		}
	}

	@Test
	void anIdleWheelShouldWakeForItsProbesOnlyNotEveryTick() {
		AtomicInteger probes = new AtomicInteger();
		Prober instant = target -> Mono.fromSupplier(() -> {
			probes.incrementAndGet();
			return new ProbeResult(Instant.now(), true, 200, 0, dev.pulse.probe.Phases.NONE, true, false, "127.0.0.1",
					0, null, null, List.of(), 1);
		});
		ProbeScheduler scheduler = start(instant);
		for (int i = 0; i < 2; i++) {
			scheduler
				.schedule(target("http://127.0.0.1:1/").name("idle-" + i).interval(Duration.ofMillis(250)).build());
		}

		await().atMost(Duration.ofSeconds(10)).until(() -> probes.get() >= 8);

		// A wheel ticking every 5 ms would have woken about 200 times a second on each
		// loop by now; sleeping until the next due tick wakes once per probe, plus the
		// odd early wake when a target is rescheduled.
		assertThat(scheduler.wakeups()).isPositive().isLessThanOrEqualTo(2L * probes.get() + 4);
	}

	@Test
	void probesOfOneHostShouldRunOnOneLoopWithItsConnections() {
		try (FaultServer server = FaultServer.start(FaultServer.healthy())) {
			java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
			TargetRegistry empty = new TargetRegistry(new PulseProperties(new PulseProperties.Defaults(
					Duration.ofSeconds(10), Duration.ofSeconds(5), null, List.of("[STATUS] == 200"), null), Map.of()));
			dev.pulse.probe.ProbeListener where = (target, result) -> threads.add(Thread.currentThread().getName());
			this.scheduler = new ProbeScheduler(empty, realProber(), List.of(this.history, where), IntervalPolicy.FIXED,
					this.transport);
			this.scheduler.start();
			for (int i = 0; i < 16; i++) {
				// Names that hash to every loop: keyed by name they would start on all
				// four.
				this.scheduler.schedule(
						target(server.url("/health/" + i)).name("t" + i).interval(Duration.ofMillis(200)).build());
			}

			await().atMost(Duration.ofSeconds(10)).until(() -> server.requestsServed() >= 160);

			assertThat(threads).as("results of one host:port, each on the loop its probe started on").hasSize(1);
			assertThat(ProbeScheduler.loopKey(target("http://Example.test/a").build()))
				.isEqualTo(ProbeScheduler.loopKey(target("http://example.test:80/b?c").build()))
				.isNotEqualTo(ProbeScheduler.loopKey(target("https://example.test/a").build()));
		}
	}

	@Test
	void overrunningProbeShouldSkipAndCountItsNextSlots() {
		AtomicInteger started = new AtomicInteger();
		AtomicBoolean cancelled = new AtomicBoolean();
		Prober never = target -> Mono.<ProbeResult>never()
			.doOnSubscribe(s -> started.incrementAndGet())
			.doOnCancel(() -> cancelled.set(true));
		ProbeScheduler scheduler = start(never);
		scheduler.schedule(target("http://127.0.0.1:1/").name("stuck").interval(Duration.ofMillis(100)).build());

		await().atMost(Duration.ofSeconds(5)).until(() -> scheduler.skippedSlots("stuck").orElse(0) >= 3);

		assertThat(started.get()).isEqualTo(1);
		scheduler.unschedule("stuck");
		assertThat(cancelled.get()).as("unschedule cancels the probe in flight").isTrue();
		assertThat(scheduler.skippedSlots("stuck")).isEmpty();
	}

	@Test
	void stopShouldCancelInFlightProbesAndCloseTheirConnections() {
		try (FaultServer hanging = FaultServer.start(FaultServer.hangAfterAccept())) {
			ProbeScheduler scheduler = start(realProber());
			scheduler.schedule(target(hanging.url("/health")).name("hanging")
				.interval(Duration.ofSeconds(3))
				.timeout(Duration.ofSeconds(3))
				.build());
			await().atMost(Duration.ofSeconds(6)).until(() -> hanging.openConnections() == 1);

			long start = System.nanoTime();
			scheduler.stop();
			this.transport.close(Duration.ofSeconds(3));
			long shutdownMs = (System.nanoTime() - start) / 1_000_000;

			assertThat(shutdownMs).as("shutdown within the longest probe timeout").isLessThan(3_000);
			await().atMost(Duration.ofMillis(500)).until(() -> hanging.openConnections() == 0);
			assertThat(this.transport.snapshot().active()).isZero();
			assertThat(this.history.recent("hanging", 10)).as("a cancelled probe records nothing").isEmpty();
		}
	}

	/**
	 * A target moved back and forth between two schedulers as a hand-over moves it (stop
	 * at the gate, read the last start, resume from it) at random moments, with jitter:
	 * never two probes of one slot, never a slot skipped.
	 */
	@Test
	void aTargetHandedOverShouldResumeAfterItsLastSlotWithNoRepeatAndNoGap() throws Exception {
		List<Long> starts = java.util.Collections.synchronizedList(new ArrayList<>());
		Prober counting = target -> Mono.<ProbeResult>empty().doOnSubscribe(s -> starts.add(System.nanoTime()));
		TargetRegistry empty = new TargetRegistry(new PulseProperties(new PulseProperties.Defaults(
				Duration.ofSeconds(10), Duration.ofSeconds(5), null, List.of("[STATUS] == 200"), null), Map.of()));
		AtomicBoolean[] owns = { new AtomicBoolean(true), new AtomicBoolean(false) };
		ProbeScheduler[] replicas = new ProbeScheduler[2];
		for (int i = 0; i < 2; i++) {
			AtomicBoolean mine = owns[i];
			replicas[i] = new ProbeScheduler(empty, counting, List.of(), IntervalPolicy.FIXED, this.transport);
			replicas[i].setGate(new ProbeGate() {

				@Override
				public boolean owns(dev.pulse.target.Target target) {
					return mine.get();
				}

				@Override
				public boolean mayFire(dev.pulse.target.Target target) {
					return mine.get();
				}

			});
			replicas[i].start();
		}
		try {
			Duration interval = Duration.ofMillis(300);
			dev.pulse.target.Target moving = target("http://127.0.0.1:1/").name("moving")
				.interval(interval)
				.jitter(Duration.ofMillis(60))
				.build();
			replicas[0].schedule(moving);
			java.util.Random random = new java.util.Random();
			int owner = 0;
			for (int move = 0; move < 8; move++) {
				Thread.sleep(300 + random.nextInt(300));
				owns[owner].set(false);
				long started = replicas[owner].lastStartedAt("moving").orElseThrow();
				replicas[owner].unschedule("moving");
				owner = 1 - owner;
				owns[owner].set(true);
				replicas[owner].scheduleAfter(moving, started);
			}
			Thread.sleep(700);
		}
		finally {
			replicas[0].stop();
			replicas[1].stop();
		}
		List<Long> times = new ArrayList<>(starts);
		assertThat(times).hasSizeGreaterThan(10);
		for (int i = 1; i < times.size(); i++) {
			long gapMs = (times.get(i) - times.get(i - 1)) / 1_000_000;
			// interval ± twice the jitter, plus scheduling noise; a repeat is under half
			// an
			// interval, a skipped slot over one and a half
			assertThat(gapMs).as("gap %d of %s", i, times).isBetween(300L - 120 - 30, 300L + 120 + 80);
		}
	}

}
