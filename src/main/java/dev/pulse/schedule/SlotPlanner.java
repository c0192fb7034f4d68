package dev.pulse.schedule;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where a target's probes fall within its interval. The phase comes from a hash of the
 * name, so targets spread evenly over the interval (no thundering herd at start-up) and a
 * target keeps its phase across restarts and, later, across replicas.
 */
final class SlotPlanner {

	private SlotPlanner() {
	}

	/**
	 * The target's phase within its interval, in milliseconds since the epoch modulo the
	 * interval.
	 */
	static long phaseMillis(String name, Duration interval) {
		return Math.floorMod(mix(name.hashCode()), Math.max(1, interval.toMillis()));
	}

	/**
	 * The first slot at or after now, as a {@link System#nanoTime()} value.
	 * @param name the target's name
	 * @param interval its interval
	 * @param nowEpochMillis wall-clock now, which anchors the phase
	 * @param nowNanos monotonic now, which the schedule runs on
	 */
	static long firstSlotNanos(String name, Duration interval, long nowEpochMillis, long nowNanos) {
		long intervalMillis = Math.max(1, interval.toMillis());
		long sincePhase = Math.floorMod(nowEpochMillis - phaseMillis(name, interval), intervalMillis);
		long untilSlot = (sincePhase == 0) ? 0 : intervalMillis - sincePhase;
		return nowNanos + untilSlot * 1_000_000L;
	}

	/** A slot shifted by a uniform random amount in [-jitter, +jitter]. */
	static long jittered(long slotNanos, long jitterNanos) {
		if (jitterNanos <= 0) {
			return slotNanos;
		}
		return slotNanos + ThreadLocalRandom.current().nextLong(-jitterNanos, jitterNanos + 1);
	}

	/**
	 * Murmur3's 64-bit finalizer: spreads similar names (api-1, api-2) across the
	 * interval.
	 */
	private static long mix(long h) {
		h ^= h >>> 33;
		h *= 0xff51afd7ed558ccdL;
		h ^= h >>> 33;
		h *= 0xc4ceb9fe1a85ec53L;
		h ^= h >>> 33;
		return h;
	}

}
