package dev.pulse.schedule;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoop;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;

import dev.pulse.bench.Fixtures;
import dev.pulse.health.HealthTracker;
import dev.pulse.metrics.MetricsRecorder;
import dev.pulse.metrics.SocketTable;
import dev.pulse.probe.ProbeListener;
import dev.pulse.probe.ProbeResult;
import dev.pulse.probe.Prober;
import dev.pulse.probe.ResultHistory;
import dev.pulse.probe.ResultsProperties;
import dev.pulse.routing.Router;
import dev.pulse.support.TestTargets;
import dev.pulse.support.TestTransport;
import dev.pulse.target.PulseProperties;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;
import dev.pulse.transport.ProbeTransport;

/**
 * The scheduler's own cost per probe: one interval of 1,000 targets (1 s each, the
 * default jitter of a tenth) on one wheel, every slot fired by the scheduler's real
 * {@code fire} into a prober that answers at once, so no network is involved. One
 * invocation advances the wheel by one interval (200 ticks of 5 ms) on a clock of its
 * own, since the wheel fires by time: in production the event loop's tick does this in
 * real time (the cost of Netty running that tick itself is not included). With
 * {@code none} that is the wheel, the slot arithmetic and the Reactor subscription;
 * {@code production} adds what Pulse wires to every result and slot: the history, the
 * health tracker (also the interval policy) and the Prometheus meters.
 * <p>
 * Lives in the scheduler's package because the wheel and its entries are package-private;
 * {@code fire} is private and reached through a method handle.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ProbeSchedulerBenchmark {

	static final int TARGETS = 1000;

	private static final Duration INTERVAL = Duration.ofSeconds(1);

	private static final MethodHandle FIRE = fireHandle();

	@Param({ "none", "production" })
	public String listeners;

	private ProbeTransport transport;

	private ProbeScheduler scheduler;

	private ProbeScheduler.Shard shard;

	private long now;

	private final List<ScheduledProbe> entries = new ArrayList<>(TARGETS);

	@Setup
	public void scheduleTargets() {
		Fixtures.quietLogs();
		TestTargets[] declared = IntStream.range(0, TARGETS)
			.mapToObj(i -> TestTargets.target("http://10.0." + (i / 200) + "." + (1 + i % 200) + ":8080/health")
				.name("api-" + i)
				.service("service-" + (i % 50))
				.interval(INTERVAL)
				.jitter(INTERVAL.dividedBy(10)))
			.toArray(TestTargets[]::new);
		TargetRegistry registry = TestTargets.registry(declared);
		ProbeResult result = Fixtures.success(Instant.now(), 14);
		Prober answersAtOnce = target -> Mono.just(result);
		this.transport = TestTransport.defaults().build();
		// The scheduler's own registry stays empty: its real shards must have nothing to
		// fire
		TargetRegistry none = new TargetRegistry(new PulseProperties(
				new PulseProperties.Defaults(INTERVAL, Duration.ofMillis(500), null, List.of("[STATUS] == 200"), null),
				Map.of()));
		if ("production".equals(this.listeners)) {
			HealthTracker health = new HealthTracker(Fixtures.healthDefaults());
			ResultHistory history = new ResultHistory(new ResultsProperties(100));
			MetricsRecorder metrics = new MetricsRecorder(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
					registry, health, new Router(registry, health, Fixtures.routingDefaults()), new SocketTable());
			List<ProbeListener> all = List.of(history, health, metrics);
			// Settle every target's health first: a state change logs
			for (Target target : registry.all()) {
				for (int i = 0; i < 3; i++) {
					all.forEach(listener -> listener.onResult(target, result));
				}
			}
			this.scheduler = new ProbeScheduler(none, answersAtOnce, all, health, this.transport, metrics);
		}
		else {
			this.scheduler = new ProbeScheduler(none, answersAtOnce, List.of(), IntervalPolicy.FIXED, this.transport,
					ScheduleObserver.NONE);
		}
		this.scheduler.start();
		this.now = System.nanoTime();
		this.shard = this.scheduler.new Shard((EventLoop) this.transport.eventLoops().next(), this.now);
		for (Target target : registry.all()) {
			long first = SlotPlanner.firstSlotNanos(target.name(), target.interval(), System.currentTimeMillis(),
					this.now);
			ScheduledProbe entry = new ScheduledProbe(target, first, this.shard);
			entry.dueNanos = SlotPlanner.jittered(first, entry.jitterNanos);
			this.shard.wheel.add(entry, entry.dueNanos);
			this.entries.add(entry);
		}
	}

	@TearDown
	public void stop() {
		// A skipped slot would mean this clock, not the scheduler, decided what fired
		long skipped = this.entries.stream().mapToLong(entry -> entry.skipped.get()).sum();
		this.scheduler.stop();
		this.transport.close(Duration.ofSeconds(5));
		if (skipped != 0) {
			throw new IllegalStateException(skipped + " slots skipped");
		}
	}

	/** One interval, tick by tick: every target's slot fired once; scored per probe. */
	@Benchmark
	@OperationsPerInvocation(TARGETS)
	public void oneInterval() {
		long tick = ProbeScheduler.TICK.toNanos();
		for (long end = this.now + INTERVAL.toNanos(); this.now < end;) {
			long at = this.now + tick;
			this.now = at;
			// What the shard's tick does, on this benchmark's clock
			this.shard.wheel.advance(at, entry -> fire(entry, at));
		}
	}

	private void fire(ScheduledProbe entry, long at) {
		try {
			FIRE.invokeExact(this.scheduler, entry, at);
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static MethodHandle fireHandle() {
		try {
			return MethodHandles.privateLookupIn(ProbeScheduler.class, MethodHandles.lookup())
				.findVirtual(ProbeScheduler.class, "fire",
						MethodType.methodType(void.class, ScheduledProbe.class, long.class));
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

}
