package dev.pulse.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import org.jspecify.annotations.Nullable;

/**
 * Every probe the {@link ProbeFarm} received, as (target, member, arrival time), appended
 * without a lock from the farm's handler threads: a slot is claimed with one atomic
 * increment, its target and member are written, then its time with a volatile write,
 * which publishes the slot. A reader takes the slots whose time is set, so a probe being
 * recorded at that instant is simply not in that {@link #snapshot() snapshot} yet.
 * <p>
 * Members are the values of the identify header ({@code X-Pulse-Member}), numbered in
 * order of first appearance; 0 is a probe without the header.
 */
final class FarmLog {

	/** The member number of a probe that carried no identify header. */
	static final int ANONYMOUS = 0;

	private static final int MAX_MEMBERS = 255;

	private final long baseNanos = System.nanoTime() - 1;

	private final int[] targetAndMember;

	private final AtomicLongArray offsets;

	private final AtomicInteger next = new AtomicInteger();

	private final Map<String, Integer> memberNumbers = new ConcurrentHashMap<>();

	private final List<String> memberNames = new ArrayList<>(List.of("?"));

	FarmLog(int capacity) {
		this.targetAndMember = new int[capacity];
		this.offsets = new AtomicLongArray(capacity);
	}

	/**
	 * Record one probe.
	 * @param target the target's number (the {@code <id>} of {@code /t/<id>})
	 * @param member the identify header's value, or null
	 * @param nanos {@link System#nanoTime()} on arrival
	 */
	void record(int target, @Nullable String member, long nanos) {
		int slot = this.next.getAndIncrement();
		if (slot >= this.targetAndMember.length) {
			return;
		}
		this.targetAndMember[slot] = (target << 8) | member(member);
		// Offsets are at least 1: a 0 offset marks a slot not yet published.
		this.offsets.set(slot, Math.max(1, nanos - this.baseNanos));
	}

	/** Whether probes were dropped because the log was full: analyses then lie. */
	boolean overflowed() {
		return this.next.get() > this.targetAndMember.length;
	}

	int size() {
		return Math.min(this.next.get(), this.targetAndMember.length);
	}

	private int member(@Nullable String name) {
		if (name == null || name.isEmpty()) {
			return ANONYMOUS;
		}
		Integer number = this.memberNumbers.get(name);
		if (number != null) {
			return number;
		}
		synchronized (this.memberNames) {
			return this.memberNumbers.computeIfAbsent(name, (key) -> {
				if (this.memberNames.size() > MAX_MEMBERS) {
					throw new IllegalStateException("more than " + MAX_MEMBERS + " members: " + this.memberNames);
				}
				this.memberNames.add(key);
				return this.memberNames.size() - 1;
			});
		}
	}

	/** Every published probe so far, grouped by target in time order. */
	ProbeHistory snapshot() {
		int size = size();
		List<String> names;
		synchronized (this.memberNames) {
			names = List.copyOf(this.memberNames);
		}
		ProbeHistory.Builder builder = new ProbeHistory.Builder(this.baseNanos, names);
		for (int slot = 0; slot < size; slot++) {
			long offset = this.offsets.get(slot);
			if (offset != 0) {
				int packed = this.targetAndMember[slot];
				builder.add(packed >>> 8, packed & 0xff, offset);
			}
		}
		return builder.build();
	}

}
