package dev.pulse.probe;

import java.util.function.LongSupplier;

/**
 * Counts first attempts and retries over a sliding minute (60 one-second buckets) and
 * refuses a retry once retries would pass
 * {@code min-retries-per-second x 60 + budget-percent} of first attempts. The same scheme
 * as Finagle's and Envoy's retry budgets: under a broad outage only a bounded share of
 * traffic is retries.
 */
public final class RetryBudget {

	private static final int BUCKETS = 60;

	private static final long BUCKET_NANOS = 1_000_000_000L;

	private final int percent;

	private final long reserve;

	private final LongSupplier nanoClock;

	private final long[] firstAttempts = new long[BUCKETS];

	private final long[] retries = new long[BUCKETS];

	private long currentSecond;

	private long refused;

	private long granted;

	public RetryBudget(RetryBudgetProperties properties) {
		this(properties, System::nanoTime);
	}

	RetryBudget(RetryBudgetProperties properties, LongSupplier nanoClock) {
		this.percent = properties.budgetPercent();
		this.reserve = (long) properties.minRetriesPerSecond() * BUCKETS;
		this.nanoClock = nanoClock;
		this.currentSecond = Math.floorDiv(nanoClock.getAsLong(), BUCKET_NANOS);
	}

	/** Count a first attempt: it earns a share of a retry. */
	public synchronized void recordFirstAttempt() {
		this.firstAttempts[slide()]++;
	}

	/**
	 * Take one retry from the budget; false (and counted as refused) when it is spent.
	 */
	public synchronized boolean tryAcquireRetry() {
		int bucket = slide();
		long allowed = this.reserve + sum(this.firstAttempts) * this.percent / 100;
		if (sum(this.retries) + 1 > allowed) {
			this.refused++;
			return false;
		}
		this.retries[bucket]++;
		this.granted++;
		return true;
	}

	/** Retries refused since start. */
	public synchronized long refused() {
		return this.refused;
	}

	/** Retries granted since start. */
	public synchronized long granted() {
		return this.granted;
	}

	/**
	 * Move the window to now, clearing the seconds that fell out of it; returns now's
	 * bucket.
	 */
	private int slide() {
		long second = Math.floorDiv(this.nanoClock.getAsLong(), BUCKET_NANOS);
		long steps = Math.min(second - this.currentSecond, BUCKETS);
		for (long i = 1; i <= steps; i++) {
			int cleared = (int) Math.floorMod(this.currentSecond + i, (long) BUCKETS);
			this.firstAttempts[cleared] = 0;
			this.retries[cleared] = 0;
		}
		if (second > this.currentSecond) {
			this.currentSecond = second;
		}
		return (int) Math.floorMod(this.currentSecond, (long) BUCKETS);
	}

	private static long sum(long[] counts) {
		long total = 0;
		for (long count : counts) {
			total += count;
		}
		return total;
	}

}
