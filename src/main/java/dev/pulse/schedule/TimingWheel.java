package dev.pulse.schedule;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * A hashed timing wheel: due times are rounded up to ticks, each tick is a bucket, and
 * one {@link #advance} fires everything due since the last call, in one batch. Adding and
 * firing cost O(1); entries further out than one revolution wait in their bucket for
 * their round.
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

	TimingWheel(long tickNanos, int size, long originNanos) {
		if (Integer.bitCount(size) != 1) {
			throw new IllegalArgumentException("size must be a power of two: " + size);
		}
		this.tickNanos = tickNanos;
		this.originNanos = originNanos;
		this.buckets = new Node[size];
		this.mask = size - 1;
	}

	/** Schedule a node at a due time; a time already past fires on the next tick. */
	void add(T node, long dueNanos) {
		long tick = Math.max(ceilTick(dueNanos), this.firedTick + 1);
		node.tick = tick;
		int index = (int) (tick & this.mask);
		node.next = this.buckets[index];
		this.buckets[index] = node;
	}

	/** Fire, in tick order, every node due at or before {@code nowNanos}. */
	@SuppressWarnings("unchecked")
	void advance(long nowNanos, Consumer<? super T> fire) {
		long nowTick = floorTick(nowNanos);
		while (this.firedTick < nowTick) {
			long tick = ++this.firedTick;
			int index = (int) (tick & this.mask);
			Node node = this.buckets[index];
			// Detach the bucket: nodes re-added while firing land in a later tick's list.
			this.buckets[index] = null;
			while (node != null) {
				Node next = node.next;
				node.next = null;
				if (node.tick <= tick) {
					fire.accept((T) node);
				}
				else {
					node.next = this.buckets[index];
					this.buckets[index] = node;
				}
				node = next;
			}
		}
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

		@Nullable Node next;

	}

}
