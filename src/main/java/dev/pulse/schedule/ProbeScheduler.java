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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.pulse.probe.ProbeResult;
import dev.pulse.probe.Prober;
import dev.pulse.probe.ResultHistory;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;
import dev.pulse.transport.ProbeTransport;

/**
 * Starts every probe on time, on the event loops the probes run on.
 * <p>
 * Each event loop owns one {@link TimingWheel} that ticks every {@link #TICK}: a tick
 * fires all probes due in it as one batch, so the cost in wake-ups is per tick, not per
 * probe, and a probe starts on the loop that will carry it, with no thread hand-off. A
 * target whose previous probe is still running skips its slot (counted); nothing a target
 * does can delay another.
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

	private static final Logger logger = LoggerFactory.getLogger(ProbeScheduler.class);

	private final TargetRegistry registry;

	private final Prober prober;

	private final ResultHistory history;

	private final EventLoopGroup loops;

	private final Map<String, ScheduledProbe> scheduled = new ConcurrentHashMap<>();

	private final List<Shard> shards = new ArrayList<>();

	private volatile boolean running;

	public ProbeScheduler(TargetRegistry registry, Prober prober, ResultHistory history, ProbeTransport transport) {
		this.registry = registry;
		this.prober = prober;
		this.history = history;
		this.loops = transport.eventLoops();
	}

	@Override
	public synchronized void start() {
		long now = System.nanoTime();
		for (EventExecutor executor : this.loops) {
			this.shards.add(new Shard((EventLoop) executor, now));
		}
		this.running = true;
		this.shards.forEach(Shard::startTicking);
		this.registry.all().stream().filter(Target::enabled).forEach(this::schedule);
		logger.info("Scheduling {} target(s) on {} event loop(s)", this.scheduled.size(), this.shards.size());
	}

	/** Start probing a target at its next slot; replaces any schedule it had. */
	public void schedule(Target target) {
		if (!this.running) {
			throw new IllegalStateException("scheduler is not running");
		}
		long firstSlot = SlotPlanner.firstSlotNanos(target.name(), target.interval(), System.currentTimeMillis(),
				System.nanoTime());
		ScheduledProbe entry = new ScheduledProbe(target, firstSlot);
		ScheduledProbe previous = this.scheduled.put(target.name(), entry);
		if (previous != null) {
			previous.cancel();
		}
		Shard shard = this.shards.get(Math.floorMod(target.name().hashCode(), this.shards.size()));
		shard.loop.execute(() -> shard.wheel.add(entry, SlotPlanner.jittered(firstSlot, entry.jitterNanos)));
	}

	/**
	 * Stop probing a target at once: its schedule and any probe in flight are cancelled.
	 */
	public void unschedule(String name) {
		ScheduledProbe entry = this.scheduled.remove(name);
		if (entry != null) {
			entry.cancel();
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

	@Override
	public synchronized void stop() {
		this.running = false;
		this.shards.forEach(Shard::stopTicking);
		this.shards.clear();
		this.scheduled.values().forEach(ScheduledProbe::cancel);
		this.scheduled.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void fire(Shard shard, ScheduledProbe entry, long nowNanos) {
		if (entry.cancelled || !this.running) {
			return;
		}
		entry.slotNanos += entry.intervalNanos;
		while (entry.slotNanos <= nowNanos) {
			// The loop stalled past whole intervals: those slots are gone, count them.
			entry.slotNanos += entry.intervalNanos;
			entry.skipped.incrementAndGet();
		}
		shard.wheel.add(entry, SlotPlanner.jittered(entry.slotNanos, entry.jitterNanos));
		if (!entry.inFlight.compareAndSet(false, true)) {
			entry.skipped.incrementAndGet();
			return;
		}
		String name = entry.target.name();
		entry.running = this.prober.probe(entry.target)
			.doFinally(signal -> entry.inFlight.set(false))
			.subscribe(result -> record(entry, name, result),
					error -> logger.error("Probe of {} failed unexpectedly", name, error));
	}

	private void record(ScheduledProbe entry, String name, ProbeResult result) {
		if (!entry.cancelled) {
			this.history.record(name, result);
		}
	}

	/** One event loop with its wheel and its tick. */
	private final class Shard implements Runnable {

		final EventLoop loop;

		final TimingWheel<ScheduledProbe> wheel;

		private ScheduledFuture<?> ticking;

		Shard(EventLoop loop, long originNanos) {
			this.loop = loop;
			this.wheel = new TimingWheel<>(TICK.toNanos(), WHEEL_SIZE, originNanos);
		}

		void startTicking() {
			long tick = TICK.toNanos();
			this.ticking = this.loop.scheduleAtFixedRate(this, tick, tick, TimeUnit.NANOSECONDS);
		}

		void stopTicking() {
			if (this.ticking != null) {
				this.ticking.cancel(false);
			}
		}

		@Override
		public void run() {
			long now = System.nanoTime();
			this.wheel.advance(now, entry -> {
				try {
					fire(this, entry, now);
				}
				catch (RuntimeException ex) {
					// One failing target must never stop the wheel: every other target
					// depends on it.
					logger.error("Scheduling {} failed", entry.target.name(), ex);
				}
			});
		}

	}

}
