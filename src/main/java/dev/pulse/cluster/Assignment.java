package dev.pulse.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Who should own each partition: rendezvous (highest random weight) hashing with bounded
 * loads. Every member computes the same plan from the same member list, so no leader is
 * needed; the plan only says who should own a partition, leases say who does.
 * <p>
 * For each partition, members are tried in descending score and the first below the cap
 * of {@code ceil(balanceFactor x partitions / members)} takes it. A member's score for a
 * partition depends on its id only (not its incarnation), so a restarted container keeps
 * its plan, and a member that joins or leaves moves little more than its own share.
 */
public final class Assignment {

	private Assignment() {
	}

	/**
	 * The plan.
	 * @param members the ids of the ready members; order does not matter
	 * @param partitions the number of partitions
	 * @param balanceFactor the cap as a multiple of the fair share, at least 1
	 * @return the planned owner of each partition, indexed by partition; all null when
	 * there is no member
	 */
	public static String[] plan(List<String> members, int partitions, double balanceFactor) {
		String[] plan = new String[partitions];
		if (members.isEmpty()) {
			return plan;
		}
		List<String> sorted = new ArrayList<>(members);
		sorted.sort(null);
		int n = sorted.size();
		long[] keys = new long[n];
		for (int i = 0; i < n; i++) {
			keys[i] = fnv1a64(sorted.get(i));
		}
		int cap = (int) Math.ceil(balanceFactor * partitions / n);
		int[] load = new int[n];
		long[] scores = new long[n];
		Integer[] order = new Integer[n];
		for (int p = 0; p < partitions; p++) {
			for (int i = 0; i < n; i++) {
				scores[i] = mix64(keys[i] ^ (p * 0x9E3779B97F4A7C15L));
				order[i] = i;
			}
			Arrays.sort(order, (a, b) -> {
				int byScore = Long.compareUnsigned(scores[b], scores[a]);
				return (byScore != 0) ? byScore : Integer.compare(a, b);
			});
			for (Integer candidate : order) {
				if (load[candidate] < cap) {
					load[candidate]++;
					plan[p] = sorted.get(candidate);
					break;
				}
			}
		}
		return plan;
	}

	static long fnv1a64(String text) {
		long hash = 0xcbf29ce484222325L;
		for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
			hash ^= (b & 0xff);
			hash *= 0x100000001b3L;
		}
		return hash;
	}

	/** SplitMix64's finaliser: spreads every input bit over the whole word. */
	static long mix64(long z) {
		z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
		z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
		return z ^ (z >>> 31);
	}

}
