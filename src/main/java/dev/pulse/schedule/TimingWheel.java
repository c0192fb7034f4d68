package dev.pulse.schedule;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A hashed timing wheel: due times are rounded up to ticks, each tick is a bucket, and
 * one {@link #advance} fires everything due since the last call, in one batch. Adding,
 * removing and firing cost O(1); entries further out than one revolution wait in their
 * bucket for their round.
 * <p>
 * Not thread-safe by design: each wheel belongs to one event loop and is only touched
 * there. Entries are intrusive nodes, so rescheduling allocates nothing.
 *
 * @param <T> the node type
 */
final class TimingWheel<T extends TimingWheel.Node> {

	private final long tickNanos;

	private final long originNanos;

	private final @Nullable Node[] buckets;

	private final int mask;

	/** The last tick whose bucket has been fired. */
	private long firedTick;

	/** Scheduled nodes, so an empty wheel costs nothing to advance or ask. */
	private int count;

	TimingWheel(long tickNanos, int size, long originNanos) {
		if (Integer.bitCount(size) != 1) {
			throw new IllegalArgumentException("size must be a power of two: " + size);
		}
		this.tickNanos = tickNanos;
		this.originNanos = originNanos;
		this.buckets = new Node[size];
		this.mask = size - 1;
	}

	/**
	 * Schedule a node at a due time, moving it if it is already scheduled; a past time
	 * fires on the next tick.
	 */
	void add(T node, long dueNanos) {
		remove(node);
		long tick = Math.max(ceilTick(dueNanos), this.firedTick + 1);
		node.tick = tick;
		link(node, (int) (tick & this.mask));
		this.count++;
	}

	/** Unschedule a node; nothing happens if it is not scheduled. */
	void remove(T node) {
		if (node.bucket < 0) {
			return;
		}
		if (node.prev != null) {
			node.prev.next = node.next;
		}
		else {
			this.buckets[node.bucket] = node.next;
		}
		if (node.next != null) {
			node.next.prev = node.prev;
		}
		node.prev = null;
		node.next = null;
		node.bucket = -1;
		this.count--;
	}

	/** Whether a node is scheduled. */
	boolean contains(T node) {
		return node.bucket >= 0;
	}

	/**
	 * Fire, in tick order, every node due at or before {@code nowNanos}. The callback may
	 * add or remove the node it is given, and only that node.
	 */
	@SuppressWarnings("unchecked")
	void advance(long nowNanos, Consumer<? super T> fire) {
		long nowTick = floorTick(nowNanos);
		while (this.firedTick < nowTick) {
			if (this.count == 0) {
				// Nothing to fire: an idle gap of any length is crossed at once.
				this.firedTick = nowTick;
				return;
			}
			long tick = ++this.firedTick;
			int index = (int) (tick & this.mask);
			// Detach the bucket: nodes added or moved while firing land in later ticks'
			// lists.
			Node node = this.buckets[index];
			this.buckets[index] = null;
			while (node != null) {
				Node next = node.next;
				node.prev = null;
				node.next = null;
				node.bucket = -1;
				if (node.tick <= tick) {
					this.count--;
					fire.accept((T) node);
				}
				else {
					link(node, index);
				}
				node = next;
			}
		}
	}

	/**
	 * The time at which {@link #advance} next has something to fire (the start of the
	 * earliest scheduled node's tick), or {@link Long#MAX_VALUE} if the wheel is empty.
	 * The owner sleeps until then instead of ticking: an idle wheel costs no wake-ups.
	 * Scans at most one revolution, stopping at the first bucket holding a node of this
	 * round, so a busy wheel answers from its next bucket.
	 */
	long nextDueNanos() {
		if (this.count == 0) {
			return Long.MAX_VALUE;
		}
		long earliest = Long.MAX_VALUE;
		for (long tick = this.firedTick + 1; tick <= this.firedTick + this.buckets.length; tick++) {
			for (Node node = this.buckets[(int) (tick & this.mask)]; node != null; node = node.next) {
				if (node.tick <= tick) {
					return startOf(tick);
				}
				earliest = Math.min(earliest, node.tick);
			}
		}
		// Every node is more than a revolution away.
		return startOf(earliest);
	}

	/** Scheduled nodes. */
	int size() {
		return this.count;
	}

	private long startOf(long tick) {
		return this.originNanos + tick * this.tickNanos;
	}

	private void link(Node node, int index) {
		Node head = this.buckets[index];
		node.prev = null;
		node.next = head;
		if (head != null) {
			head.prev = node;
		}
		this.buckets[index] = node;
		node.bucket = index;
	}

	private long floorTick(long nanos) {
		return Math.floorDiv(nanos - this.originNanos, this.tickNanos);
	}

	private long ceilTick(long nanos) {
		return -Math.floorDiv(this.originNanos - nanos, this.tickNanos);
	}

	/** A schedulable entry; subclasses carry the payload. */
	abstract static class Node {

		long tick;

		int bucket = -1;

		@Nullable Node prev;

		@Nullable Node next;

	}

}
