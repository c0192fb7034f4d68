package dev.pulse.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntPredicate;

import org.jspecify.annotations.Nullable;

/**
 * The probes of a {@link FarmLog} snapshot, by target in time order, and what they say
 * about a window of time, every target probed at the same {@code interval}:
 * <ul>
 * <li><b>missed slots</b>: gaps that start in the window between consecutive probes of a
 * target, of at least {@code interval × 1.8}, the trailing gap to the window's end
 * included. The jitter is ±10 % of the interval, so a gap that spans a slot nobody probed
 * is at least two intervals minus twice the jitter, and a shorter one has a probe for
 * every slot;</li>
 * <li><b>late probes</b>: shorter gaps above {@code interval × 1.1 + 0.5 s}: a slot
 * probed, but half a second later than its jitter allows (a new owner that took a moment
 * to learn of a hand-over);</li>
 * <li><b>duplicates</b>: consecutive probes of a target by different members less than
 * half an interval apart;</li>
 * <li><b>concurrent owners</b>: a probe by one member that falls between two consecutive
 * probes of another member at most {@code 1.25 × interval} apart, so both probed the
 * target in the same slots (A..B..A with A keeping its cadence). That is narrower than
 * "A..B..A within three intervals": a partition that moves to B and back to A within
 * three intervals, each owner probing in turn, is churn, not a double owner; A's cadence
 * broken by B is a double owner. A stale probe of a replica that wakes from SIGSTOP and
 * probes a partition it lost lands inside the new owner's cadence and counts.</li>
 * </ul>
 */
final class ProbeHistory {

	private final long baseNanos;

	private final List<String> members;

	/** Per target: (offset from base in nanoseconds) << 8 | member, ascending. */
	private final Map<Integer, long[]> probes;

	private ProbeHistory(long baseNanos, List<String> members, Map<Integer, long[]> probes) {
		this.baseNanos = baseNanos;
		this.members = members;
		this.probes = probes;
	}

	/** What a window of the history says. */
	record Verdict(int targets, int probes, long maxGapMillis, int missed, int late, int duplicates,
			int concurrentOwners, List<String> examples) {

		String figures() {
			return "probes=" + this.probes + " targets_probed=" + this.targets + " max_gap_ms=" + this.maxGapMillis
					+ " missed=" + this.missed + " late=" + this.late + " duplicates=" + this.duplicates
					+ " concurrent=" + this.concurrentOwners;
		}

	}

	/** The targets that have at least one probe, ascending. */
	Set<Integer> targets() {
		return new TreeSet<>(this.probes.keySet());
	}

	/** The member number of a name, or -1 if it never probed. */
	int member(String name) {
		return this.members.indexOf(name);
	}

	String memberName(int member) {
		return this.members.get(member);
	}

	int count(int target) {
		long[] keys = this.probes.get(target);
		return (keys != null) ? keys.length : 0;
	}

	long time(int target, int index) {
		return this.baseNanos + (this.probes.get(target)[index] >>> 8);
	}

	int memberAt(int target, int index) {
		return (int) (this.probes.get(target)[index] & 0xff);
	}

	/**
	 * The time of the first probe of a target at or after {@code nanos} by a member other
	 * than {@code notBy} (-1 for any member), or null if none.
	 */
	@Nullable Long firstProbe(int target, long nanos, int notBy) {
		for (int index = 0; index < count(target); index++) {
			if (time(target, index) >= nanos && memberAt(target, index) != notBy) {
				return time(target, index);
			}
		}
		return null;
	}

	/** The time of the first probe of a target by a member at or after {@code nanos}. */
	@Nullable Long firstProbeBy(int target, int member, long nanos) {
		for (int index = 0; index < count(target); index++) {
			if (time(target, index) >= nanos && memberAt(target, index) == member) {
				return time(target, index);
			}
		}
		return null;
	}

	/**
	 * The time of the last probe of a target by a member before {@code nanos}, or null.
	 */
	@Nullable Long lastProbeBy(int target, int member, long nanos) {
		Long last = null;
		for (int index = 0; index < count(target); index++) {
			if (time(target, index) < nanos && memberAt(target, index) == member) {
				last = time(target, index);
			}
		}
		return last;
	}

	/** The members that probed a target in {@code [from, to)}. */
	Set<String> probers(int target, long from, long to) {
		Set<String> probers = new TreeSet<>();
		for (int index = 0; index < count(target); index++) {
			long time = time(target, index);
			if (time >= from && time < to) {
				probers.add(memberName(memberAt(target, index)));
			}
		}
		return probers;
	}

	/** The times of a member's probes of a target in {@code [from, to)}. */
	List<Long> probesBy(int target, int member, long from, long to) {
		List<Long> times = new ArrayList<>();
		for (int index = 0; index < count(target); index++) {
			long time = time(target, index);
			if (time >= from && time < to && memberAt(target, index) == member) {
				times.add(time);
			}
		}
		return times;
	}

	/**
	 * The times of a member's probes of a target in {@code [from, to)} that lie inside
	 * another member's cadence ({@link #insideCadenceOf}): probes of a partition someone
	 * else owned at that moment.
	 */
	List<Long> probesInsideOthersCadence(int target, int member, long from, long to, Duration interval) {
		List<Long> times = new ArrayList<>();
		for (int index = 0; index < count(target); index++) {
			long time = time(target, index);
			if (time >= from && time < to && memberAt(target, index) == member
					&& insideCadenceOf(target, index, interval.toNanos()) >= 0) {
				times.add(time);
			}
		}
		return times;
	}

	/**
	 * Whether a probe at {@code index} lies inside the cadence of another member: that
	 * member probed the target less than {@code 1.25 × interval} before and after it,
	 * with none of its own probes between.
	 * @return the other member, or -1
	 */
	int insideCadenceOf(int target, int index, long intervalNanos) {
		long span = intervalNanos * 5 / 4;
		long time = time(target, index);
		int member = memberAt(target, index);
		Map<Integer, Long> before = new LinkedHashMap<>();
		for (int back = index - 1; back >= 0 && time(target, back) >= time - span; back--) {
			int other = memberAt(target, back);
			if (other != member) {
				before.putIfAbsent(other, time(target, back));
			}
		}
		for (int ahead = index + 1; ahead < count(target) && !before.isEmpty(); ahead++) {
			long later = time(target, ahead);
			int other = memberAt(target, ahead);
			Long earlier = before.remove(other);
			if (earlier != null && later - earlier <= span) {
				return other;
			}
			if (later - time > span) {
				break;
			}
		}
		return -1;
	}

	/**
	 * Judge the window {@code [from, to]} for the targets {@code selected}. Call it once
	 * the probes due by {@code to} have arrived, or the trailing gaps count as missed.
	 */
	Verdict judge(long from, long to, Duration interval, IntPredicate selected) {
		long intervalNanos = interval.toNanos();
		long lateAbove = intervalNanos * 11 / 10 + Duration.ofMillis(500).toNanos();
		long missedFrom = intervalNanos * 18 / 10;
		int targets = 0;
		int probeCount = 0;
		long maxGap = 0;
		int missed = 0;
		int late = 0;
		int duplicates = 0;
		int concurrent = 0;
		List<String> examples = new ArrayList<>();
		for (int target : targets()) {
			if (!selected.test(target)) {
				continue;
			}
			int count = count(target);
			boolean probedInWindow = false;
			long previous = Long.MIN_VALUE;
			int previousMember = -1;
			for (int index = 0; index < count; index++) {
				long time = time(target, index);
				int member = memberAt(target, index);
				boolean inWindow = time >= from && time <= to;
				// A gap counts where it starts: one that began before the window belongs
				// to
				// whatever happened then (a start-up's moves), not to the window.
				if (previous != Long.MIN_VALUE && time >= from && previous >= from && previous <= to) {
					long gap = time - previous;
					maxGap = Math.max(maxGap, gap);
					if (gap >= missedFrom) {
						missed++;
						example(examples, "t%d: no probe for %d ms after %s (%s)", target, gap / 1_000_000,
								at(previous, from), memberName(previousMember));
					}
					else if (gap > lateAbove) {
						late++;
						example(examples, "t%d: late, %d ms after %s (%s)", target, gap / 1_000_000, at(previous, from),
								memberName(previousMember));
					}
				}
				if (inWindow) {
					probedInWindow = true;
					probeCount++;
					if (previous >= from && member != previousMember && time - previous < intervalNanos / 2) {
						duplicates++;
						example(examples, "t%d: %s at %s then %s %d ms later", target, memberName(previousMember),
								at(previous, from), memberName(member), (time - previous) / 1_000_000);
					}
					int owner = insideCadenceOf(target, index, intervalNanos);
					if (owner >= 0) {
						concurrent++;
						example(examples, "t%d: %s probed at %s inside %s's cadence", target, memberName(member),
								at(time, from), memberName(owner));
					}
				}
				previous = time;
				previousMember = member;
			}
			if (previous != Long.MIN_VALUE && previous < to) {
				long gap = to - previous;
				maxGap = Math.max(maxGap, gap);
				if (gap >= missedFrom) {
					missed++;
					example(examples, "t%d: no probe for %d ms after %s (%s) until the window's end", target,
							gap / 1_000_000, at(previous, from), memberName(previousMember));
				}
				else if (gap > lateAbove) {
					late++;
					example(examples, "t%d: late, no probe for %d ms after %s (%s) until the window's end", target,
							gap / 1_000_000, at(previous, from), memberName(previousMember));
				}
			}
			targets += probedInWindow ? 1 : 0;
		}
		return new Verdict(targets, probeCount, maxGap / 1_000_000, missed, late, duplicates, concurrent,
				List.copyOf(examples));
	}

	private static String at(long nanos, long from) {
		return String.format("%+.3f s", (nanos - from) / 1e9);
	}

	private static void example(List<String> examples, String format, Object... args) {
		if (examples.size() < 12) {
			examples.add(String.format(format, args));
		}
	}

	/** Gathers a snapshot's probes, then sorts each target's in time order. */
	static final class Builder {

		private final long baseNanos;

		private final List<String> members;

		private final Map<Integer, long[]> keys = new TreeMap<>();

		private final Map<Integer, Integer> sizes = new TreeMap<>();

		Builder(long baseNanos, List<String> members) {
			this.baseNanos = baseNanos;
			this.members = members;
		}

		void add(int target, int member, long offsetNanos) {
			int size = this.sizes.getOrDefault(target, 0);
			long[] array = this.keys.computeIfAbsent(target, (key) -> new long[64]);
			if (size == array.length) {
				array = Arrays.copyOf(array, size * 2);
				this.keys.put(target, array);
			}
			array[size] = (offsetNanos << 8) | member;
			this.sizes.put(target, size + 1);
		}

		ProbeHistory build() {
			Map<Integer, long[]> sorted = new TreeMap<>();
			this.keys.forEach((target, array) -> {
				long[] exact = Arrays.copyOf(array, this.sizes.get(target));
				Arrays.sort(exact);
				sorted.put(target, exact);
			});
			return new ProbeHistory(this.baseNanos, this.members, sorted);
		}

	}

}
