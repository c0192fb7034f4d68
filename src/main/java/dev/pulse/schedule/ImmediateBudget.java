package dev.pulse.schedule;

/**
 * At most {@code perSecond} permits in any one-second window, counted in fixed windows:
 * cheap, lock-free enough for registrations, and exact enough to tell one registration
 * from a batch.
 */
final class ImmediateBudget {

	private static final long WINDOW_NANOS = 1_000_000_000L;

	private final int perSecond;

	private long windowStart = Long.MIN_VALUE;

	private int used;

	ImmediateBudget(int perSecond) {
		this.perSecond = perSecond;
	}

	synchronized boolean tryAcquire(long nowNanos) {
		if (this.windowStart == Long.MIN_VALUE || nowNanos - this.windowStart >= WINDOW_NANOS) {
			this.windowStart = nowNanos;
			this.used = 0;
		}
		if (this.used >= this.perSecond) {
			return false;
		}
		this.used++;
		return true;
	}

}
