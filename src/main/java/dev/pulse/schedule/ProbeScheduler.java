package dev.pulse.schedule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.pulse.probe.ProbeListener;
import dev.pulse.probe.ProbeResult;
import dev.pulse.probe.Prober;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;
import dev.pulse.transport.ProbeTransport;

/**
 * Starts every probe on time, on the event loops the probes run on.
 * <p>
 * Each event loop owns one {@link TimingWheel} of {@link #TICK} ticks and sleeps until
 * its next due tick: a wake-up fires all probes due in that tick as one batch, so the
 * cost in wake-ups is at most one per tick however many probes are due, none while
 * nothing is, and a probe starts on the loop that will carry it, with no thread hand-off.
 * A target whose previous probe is still running skips its slot (counted); nothing a
 * target does can delay another.
 * <p>
 * A target runs on its own interval, on a phase derived from its name, unless the
 * {@link IntervalPolicy} asks for another delay after a result (a target changing state,
 * or one that is down); it returns to its phase once the policy lets go.
 */
@Component
public class ProbeScheduler implements SmartLifecycle {

	/**
	 * Wheel resolution: fine enough for second-scale intervals, coarse enough to batch.
	 */
	static final Duration TICK = Duration.ofMillis(5);

	/**
	 * 4096 ticks of 5 ms: one revolution covers 20 s, so typical intervals never wait a
	 * round.
	 */
	static final int WHEEL_SIZE = 4096;

	/**
	 * Run-time registrations probed at once per second. One target registered over the
	 * API shows its first result within a second; a batch (hundreds of PUTs, a reloaded
	 * targets file, a discovery relist, partitions taken over) past this goes on the
	 * phase grid instead, spread over one interval as at start-up, never a burst whose
	 * queueing Pulse would charge to its targets as timeouts.
	 */
	static final int IMMEDIATE_PER_SECOND = 16;

	private static final Logger logger = LoggerFactory.getLogger(ProbeScheduler.class);

	private final TargetRegistry registry;

	private final Prober prober;

	private final List<ProbeListener> listeners;

	private final IntervalPolicy policy;

	private final EventLoopGroup loops;

	private final ScheduleObserver observer;

	private final Map<String, ScheduledProbe> scheduled = new ConcurrentHashMap<>();

	private final List<Shard> shards = new ArrayList<>();

	private volatile boolean running;

	private final @Nullable TransportWarmup warmup;

	private final ImmediateBudget immediate = new ImmediateBudget(IMMEDIATE_PER_SECOND);

	private volatile ProbeGate gate = ProbeGate.ALL;

	/**
	 * The lifecycle phase: just below the default, so anything that decides what this
	 * replica probes (the cluster) can start after the scheduler and stop before it.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1;

	@Autowired
	public ProbeScheduler(TargetRegistry registry, Prober prober, List<ProbeListener> listeners,
			ObjectProvider<IntervalPolicy> policy, ProbeTransport transport, ObjectProvider<ScheduleObserver> observer,
			ObjectProvider<TransportWarmup> warmup) {
		this(registry, prober, listeners, policy.getIfUnique(() -> IntervalPolicy.FIXED), transport,
				observer.getIfUnique(() -> ScheduleObserver.NONE), warmup.getIfAvailable());
	}

	public ProbeScheduler(TargetRegistry registry, Prober prober, List<ProbeListener> listeners, IntervalPolicy policy,
			ProbeTransport transport) {
		this(registry, prober, listeners, policy, transport, ScheduleObserver.NONE);
	}

	public ProbeScheduler(TargetRegistry registry, Prober prober, List<ProbeListener> listeners, IntervalPolicy policy,
			ProbeTransport transport, ScheduleObserver observer) {
		this(registry, prober, listeners, policy, transport, observer, null);
	}

	/**
	 * The full form.
	 * @param warmup what warms the transport before the first round; null for none
	 */
	public ProbeScheduler(TargetRegistry registry, Prober prober, List<ProbeListener> listeners, IntervalPolicy policy,
			ProbeTransport transport, ScheduleObserver observer, @Nullable TransportWarmup warmup) {
		this.warmup = warmup;
		this.registry = registry;
		this.prober = prober;
		this.listeners = List.copyOf(listeners);
		this.policy = policy;
		this.loops = transport.eventLoops();
		this.observer = observer;
		registry.addListener(new RegistryChanges());
	}

	/**
	 * Probe only what the gate says is this replica's. Set before {@link #start}; the
	 * owner of the gate schedules and {@link #unschedule unschedules} targets as their
	 * ownership moves.
	 */
	public void setGate(ProbeGate gate) {
		this.gate = gate;
	}

	@Override
	public synchronized void start() {
		if (this.warmup != null) {
			this.warmup.warmUp(this.prober, this.loops);
		}
		long now = System.nanoTime();
		for (EventExecutor executor : this.loops) {
			this.shards.add(new Shard((EventLoop) executor, now));
		}
		this.running = true;
		this.shards.forEach(Shard::startTicking);
		this.registry.all().stream().filter(Target::probed).filter(this.gate::owns).forEach(this::schedule);
		logger.info("Scheduling {} target(s) on {} event loop(s)", this.scheduled.size(), this.shards.size());
	}

	/** Start probing a target at its next slot; replaces any schedule it had. */
	public void schedule(Target target) {
		schedule(target, false);
	}

	/**
	 * Start probing a target now, then on its phase; replaces any schedule it had. For
	 * targets registered or changed at run time, whose first result should not wait a
	 * whole interval. Past {@link #IMMEDIATE_PER_SECOND} in a second the target starts at
	 * its next phase slot instead, so a batch spreads over its interval.
	 * @return whether the target is probed at once
	 */
	public boolean scheduleNow(Target target) {
		boolean now = this.immediate.tryAcquire(System.nanoTime());
		schedule(target, now);
		return now;
	}

	/**
	 * Go on probing a target that another replica probed until {@code stoppedNanos} (on
	 * this JVM's clock): at once if a slot of its phase fell since then (the slot nobody
	 * probed while it moved), else at its next slot. Phases come from the name and the
	 * wall clock, so every replica's slots of a target agree. Without knowing which slot
	 * the previous owner probed last, a slot within its jitter of the stop is probed
	 * again rather than skipped.
	 * @return whether the target is probed at once
	 */
	public boolean scheduleResuming(Target target, long stoppedNanos) {
		long nowNanos = System.nanoTime();
		long nextSlot = SlotPlanner.firstSlotNanos(target.name(), target.interval(), System.currentTimeMillis(),
				nowNanos);
		long previousSlot = nextSlot - target.interval().toNanos();
		long jitter = target.jitter().toNanos();
		boolean missed = previousSlot + jitter - stoppedNanos >= 0 && previousSlot - nowNanos <= 0;
		schedule(target, missed, nextSlot);
		return missed;
	}

	/**
	 * Go on probing a target whose previous owner last started a probe at
	 * {@code lastStartedAtMillis} (wall clock) and then stopped: from the slot after the
	 * one that probe served, at once if that slot has passed. The served slot is the one
	 * nearest the start, since jitter shifts a probe by at most half an interval. Exact
	 * while the replicas' wall clocks agree to well within half an interval minus the
	 * jitter, as the phase grid already assumes.
	 * @return whether the target is probed at once
	 */
	public boolean scheduleAfter(Target target, long lastStartedAtMillis) {
		long nowNanos = System.nanoTime();
		long nowMillis = System.currentTimeMillis();
		long interval = target.interval().toNanos();
		long nextSlot = SlotPlanner.firstSlotNanos(target.name(), target.interval(), nowMillis, nowNanos);
		long started = nowNanos - TimeUnit.MILLISECONDS.toNanos(nowMillis - lastStartedAtMillis);
		long served = nextSlot + Math.floorDiv(started - nextSlot + interval / 2, interval) * interval;
		long resume = served + interval;
		boolean late = resume - nowNanos <= 0;
		schedule(target, late, late ? nextSlot : resume);
		return late;
	}

	/**
	 * When this replica last started a probe of a target (epoch milliseconds); empty if
	 * it is not scheduled here or has not been probed yet.
	 */
	public OptionalLong lastStartedAt(String name) {
		ScheduledProbe entry = this.scheduled.get(name);
		long started = (entry != null) ? entry.startedAtMillis : Long.MIN_VALUE;
		return (started != Long.MIN_VALUE) ? OptionalLong.of(started) : OptionalLong.empty();
	}

	private void schedule(Target target, boolean now) {
		schedule(target, now, SlotPlanner.firstSlotNanos(target.name(), target.interval(), System.currentTimeMillis(),
				System.nanoTime()));
	}

	private void schedule(Target target, boolean now, long firstSlot) {
		if (!this.running) {
			throw new IllegalStateException("scheduler is not running");
		}
		Shard shard = this.shards.get(Math.floorMod(loopKey(target).hashCode(), this.shards.size()));
		ScheduledProbe entry = new ScheduledProbe(target, firstSlot, shard);
		ScheduledProbe previous = this.scheduled.put(target.name(), entry);
		if (previous != null) {
			previous.cancel();
			previous.shard.loop.execute(() -> previous.shard.wheel.remove(previous));
		}
		entry.offPhase = now;
		long due = now ? System.nanoTime() : SlotPlanner.jittered(firstSlot, entry.jitterNanos);
		shard.loop.execute(() -> enqueue(entry, due));
	}

	/**
	 * What picks a target's event loop: its scheme, host and port. A new connection lives
	 * on the loop it was opened from, so when every probe of a host:port starts on one
	 * loop the pooled connections they take are on that loop too, and a probe runs where
	 * it started. Keyed by target name instead, a probe often took a connection of
	 * another loop: one hand-off per probe (an eventfd write and a futex wake) and its
	 * context switches, which measured dominant at low rates (docs/benchmarks.md,
	 * "Syscalls").
	 */
	static String loopKey(Target target) {
		java.net.URI url = target.url();
		String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(java.util.Locale.ROOT) : "";
		int port = url.getPort();
		if (port < 0) {
			port = "https".equals(scheme) ? 443 : 80;
		}
		String host = (url.getHost() != null) ? url.getHost().toLowerCase(java.util.Locale.ROOT) : "";
		return scheme + "://" + host + ":" + port;
	}

	/**
	 * Stop probing a target at once: its schedule and any probe in flight are cancelled.
	 */
	public void unschedule(String name) {
		ScheduledProbe entry = this.scheduled.remove(name);
		if (entry != null) {
			entry.cancel();
			entry.shard.loop.execute(() -> entry.shard.wheel.remove(entry));
		}
	}

	/**
	 * Slots a target skipped because its previous probe was still running; empty if not
	 * scheduled.
	 */
	public OptionalLong skippedSlots(String name) {
		ScheduledProbe entry = this.scheduled.get(name);
		return (entry != null) ? OptionalLong.of(entry.skipped.get()) : OptionalLong.empty();
	}

	/** Wake-ups of every loop's wheel so far: what an idle Pulse costs, in counts. */
	long wakeups() {
		return this.shards.stream().mapToLong(shard -> shard.wakeups).sum();
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		this.shards.forEach(Shard::stopTicking);
		this.shards.clear();
		this.scheduled.values().forEach(ScheduledProbe::cancel);
		this.scheduled.clear();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void fire(ScheduledProbe entry, long nowNanos) {
		if (entry.cancelled || !this.running) {
			return;
		}
		long dueNanos = entry.dueNanos;
		// Provisionally the next phase slot; the result may move it (see reschedule).
		enqueue(entry, SlotPlanner.jittered(nextSlot(entry, nowNanos), entry.jitterNanos));
		if (!entry.inFlight.compareAndSet(false, true)) {
			entry.skipped.incrementAndGet();
			this.observer.onSkipped(entry.target);
			return;
		}
		this.observer.onLagNanos(Math.max(0, nowNanos - dueNanos));
		// Stamped before the gate is asked: a hand-over drops the gate, then reads the
		// stamp, so it sees every probe that can still start (both are volatile). At
		// worst
		// it sees one the gate then refused, and the new owner waits for the next slot.
		long startedBefore = entry.startedAtMillis;
		entry.startedAtMillis = System.currentTimeMillis();
		if (!this.gate.mayFire(entry.target)) {
			entry.startedAtMillis = startedBefore;
			entry.inFlight.set(false);
			return;
		}
		String name = entry.target.name();
		entry.running = this.prober.probe(entry.target)
			.doFinally(signal -> entry.inFlight.set(false))
			.subscribe(result -> onResult(entry, result),
					error -> logger.error("Probe of {} failed unexpectedly", name, error));
	}

	/**
	 * The target's next slot on its phase grid. Slots lost to a stalled loop are counted
	 * as skipped; after an off-phase probe the grid resumes at least half an interval
	 * later, so two probes never bunch up.
	 */
	private long nextSlot(ScheduledProbe entry, long nowNanos) {
		if (entry.offPhase) {
			entry.offPhase = false;
			long earliest = nowNanos + entry.intervalNanos / 2;
			long behind = Math.max(0, earliest - entry.slotNanos);
			entry.slotNanos += ((behind + entry.intervalNanos - 1) / entry.intervalNanos) * entry.intervalNanos;
			return entry.slotNanos;
		}
		entry.slotNanos += entry.intervalNanos;
		while (entry.slotNanos <= nowNanos) {
			entry.slotNanos += entry.intervalNanos;
			entry.skipped.incrementAndGet();
			this.observer.onSkipped(entry.target);
		}
		return entry.slotNanos;
	}

	private void onResult(ScheduledProbe entry, ProbeResult result) {
		if (entry.cancelled) {
			return;
		}
		for (ProbeListener listener : this.listeners) {
			listener.onResult(entry.target, result);
		}
		Duration delay = this.policy.nextDelay(entry.target);
		if (delay != null) {
			EventLoop loop = entry.shard.loop;
			if (loop.inEventLoop()) {
				reschedule(entry, delay);
			}
			else {
				loop.execute(() -> reschedule(entry, delay));
			}
		}
	}

	/** Move a target off its phase, to {@code delay} from now (on its own loop). */
	private void reschedule(ScheduledProbe entry, Duration delay) {
		if (entry.cancelled || !this.running) {
			return;
		}
		long due = System.nanoTime() + delay.toNanos();
		entry.offPhase = true;
		enqueue(entry, SlotPlanner.jittered(due, Math.min(entry.jitterNanos, delay.toNanos() / 10)));
	}

	/**
	 * Put an entry on its wheel, remembering the due time so the start's lag can be
	 * measured.
	 */
	private static void enqueue(ScheduledProbe entry, long dueNanos) {
		entry.dueNanos = dueNanos;
		entry.shard.wheel.add(entry, dueNanos);
		entry.shard.added(dueNanos);
	}

	/** Keeps the schedule in step with targets added, changed or removed at run time. */
	private final class RegistryChanges implements TargetRegistry.Listener {

		@Override
		public void onPut(@Nullable Target previous, Target target) {
			if (!ProbeScheduler.this.running) {
				return;
			}
			if (target.probed() && ProbeScheduler.this.gate.owns(target)) {
				scheduleNow(target);
			}
			else {
				unschedule(target.name());
			}
		}

		@Override
		public void onRemoved(Target target) {
			unschedule(target.name());
			ProbeScheduler.this.listeners.forEach(listener -> listener.onRemoved(target.name()));
		}

	}

	/**
	 * One event loop with its wheel. The loop sleeps until the wheel's next due tick
	 * instead of waking every tick: an idle Pulse with a few targets wakes about once per
	 * probe, and a busy one still fires each tick's probes as one batch.
	 */
	final class Shard implements Runnable {

		final EventLoop loop;

		final TimingWheel<ScheduledProbe> wheel;

		/** When the armed wake-up runs; {@link Long#MAX_VALUE} when none is armed. */
		private long armedNanos = Long.MAX_VALUE;

		private @Nullable ScheduledFuture<?> armed;

		/**
		 * True while the wheel fires: the entries it re-adds are armed for once, after.
		 */
		private boolean advancing;

		private volatile boolean stopped;

		/** Wake-ups so far, for tests and benchmarks of the idle cost. */
		volatile long wakeups;

		Shard(EventLoop loop, long originNanos) {
			this.loop = loop;
			this.wheel = new TimingWheel<>(TICK.toNanos(), WHEEL_SIZE, originNanos);
		}

		void startTicking() {
			this.loop.execute(this::arm);
		}

		void stopTicking() {
			this.stopped = true;
			this.loop.execute(() -> {
				if (this.armed != null) {
					this.armed.cancel(false);
					this.armed = null;
				}
				this.armedNanos = Long.MAX_VALUE;
			});
		}

		/** Called on the loop after an entry was put on the wheel. */
		void added(long dueNanos) {
			if (!this.advancing && dueNanos < this.armedNanos) {
				arm();
			}
		}

		@Override
		public void run() {
			this.armed = null;
			this.armedNanos = Long.MAX_VALUE;
			this.wakeups++;
			long now = System.nanoTime();
			this.advancing = true;
			try {
				this.wheel.advance(now, entry -> {
					try {
						fire(entry, now);
					}
					catch (RuntimeException ex) {
						// One failing target must never stop the wheel: every other
						// target depends on it.
						logger.error("Scheduling {} failed", entry.target.name(), ex);
					}
				});
			}
			finally {
				this.advancing = false;
				arm();
			}
		}

		/** (Re)arm the one wake-up for the wheel's next due tick. */
		private void arm() {
			if (this.stopped) {
				return;
			}
			long next = this.wheel.nextDueNanos();
			if (next == this.armedNanos) {
				return;
			}
			if (this.armed != null) {
				this.armed.cancel(false);
				this.armed = null;
			}
			this.armedNanos = next;
			if (next != Long.MAX_VALUE) {
				this.armed = this.loop.schedule(this, Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
		}

	}

}
