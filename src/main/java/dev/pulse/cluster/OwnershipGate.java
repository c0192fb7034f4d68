package dev.pulse.cluster;

import java.util.concurrent.atomic.AtomicLongArray;

import dev.pulse.schedule.ProbeGate;
import dev.pulse.target.Target;

/**
 * The scheduler's view of the leases: which partitions this replica holds, at which
 * epoch, and until when it may still probe them on its own monotonic clock. A replica
 * probes a partition only while its last successful renewal began less than the renew
 * deadline ago, which is shorter than the lease, so a frozen or cut-off replica stops
 * before anyone else may start (self-fencing, as client-go's leader election). In a
 * database outage with {@code on-db-loss=continue} it goes on probing what it holds:
 * nobody can take anything over without the database either.
 */
final class OwnershipGate implements ProbeGate {

	private static final long NOT_OWNED = -1;

	private final int partitions;

	private final AtomicLongArray epochs;

	private volatile long fireUntilNanos = Long.MIN_VALUE;

	private volatile boolean outage;

	private final boolean continueInOutage;

	OwnershipGate(int partitions, boolean continueInOutage) {
		this.partitions = partitions;
		this.epochs = new AtomicLongArray(partitions);
		for (int p = 0; p < partitions; p++) {
			this.epochs.set(p, NOT_OWNED);
		}
		this.continueInOutage = continueInOutage;
	}

	int partitionOf(String target) {
		return Partitions.of(target, this.partitions);
	}

	@Override
	public boolean owns(Target target) {
		return holds(partitionOf(target.name()));
	}

	@Override
	public boolean mayFire(Target target) {
		return owns(target) && (System.nanoTime() - this.fireUntilNanos < 0 || (this.outage && this.continueInOutage));
	}

	boolean holds(int partition) {
		return this.epochs.get(partition) != NOT_OWNED;
	}

	/** The epoch this replica holds a partition at, or -1. */
	long epoch(int partition) {
		return this.epochs.get(partition);
	}

	void hold(int partition, long epoch) {
		this.epochs.set(partition, epoch);
	}

	void drop(int partition) {
		this.epochs.set(partition, NOT_OWNED);
	}

	int owned() {
		int owned = 0;
		for (int p = 0; p < this.partitions; p++) {
			if (holds(p)) {
				owned++;
			}
		}
		return owned;
	}

	/** A renewal that began at {@code startNanos} succeeded. */
	void renewed(long startNanos, long deadlineNanos) {
		this.fireUntilNanos = startNanos + deadlineNanos;
		this.outage = false;
	}

	/** A renewal failed for want of the database (not because a lease moved). */
	void outage() {
		this.outage = true;
	}

	/** Stop every probe at once (shutting down, or the member id taken over). */
	void closeNow() {
		this.fireUntilNanos = System.nanoTime();
		this.outage = false;
	}

}
