package dev.pulse.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import dev.pulse.support.TcpProxy;

/**
 * The replicas of one ClusterIT run: who is meant to be running, every process ever
 * started (so every one is killed at the end), and the waits on their
 * {@code /actuator/cluster} views, each with a deadline.
 */
final class Cluster implements AutoCloseable {

	/** Each replica owns at most this much more than an equal share once settled. */
	static final double MAX_SKEW = 1.12;

	private final PulseJar jar;

	private final ClusterDatabase database;

	private final Path logs;

	private final List<String> arguments;

	private final Map<String, Replica> running = new TreeMap<>();

	private final List<Replica> started = new CopyOnWriteArrayList<>();

	private final List<TcpProxy> proxies = new CopyOnWriteArrayList<>();

	Cluster(PulseJar jar, ClusterDatabase database, Path logs, List<String> arguments) {
		this.jar = jar;
		this.database = database;
		this.logs = logs;
		this.arguments = List.copyOf(arguments);
	}

	/** Start a new member on a free port with a proxy of its own. */
	synchronized Replica start(String memberId) throws IOException {
		TcpProxy proxy = TcpProxy.start(memberId, this.database.host(), this.database.port());
		this.proxies.add(proxy);
		Replica replica = Replica.start(this.jar, memberId, freePort(), proxy, 1, this.logs, arguments(proxy));
		this.started.add(replica);
		this.running.put(memberId, replica);
		return replica;
	}

	/** Start a member again after it stopped or was killed: same port and proxy. */
	synchronized Replica restart(String memberId) throws IOException {
		Replica previous = replica(memberId);
		if (previous.isAlive()) {
			throw new IllegalStateException(previous + " still runs");
		}
		Replica replica = previous.restart(this.jar, this.logs, arguments(previous.proxy()));
		this.started.add(replica);
		this.running.put(memberId, replica);
		return replica;
	}

	private List<String> arguments(TcpProxy proxy) {
		List<String> all = new ArrayList<>(this.arguments);
		all.addAll(this.database.arguments(proxy.port()));
		return all;
	}

	/** The member's latest process, whether or not it is still meant to run. */
	synchronized Replica replica(String memberId) {
		Replica replica = this.running.get(memberId);
		if (replica == null) {
			replica = this.started.stream()
				.filter((candidate) -> candidate.memberId().equals(memberId))
				.reduce((first, second) -> second)
				.orElseThrow(() -> new IllegalArgumentException("no member " + memberId));
		}
		return replica;
	}

	/** The member is gone on purpose (SIGTERM, kill -9): no wait expects it. */
	synchronized void gone(String memberId) {
		this.running.remove(memberId);
	}

	synchronized Set<String> members() {
		return Set.copyOf(this.running.keySet());
	}

	synchronized List<Replica> running() {
		return List.copyOf(this.running.values());
	}

	synchronized List<Replica> running(Collection<String> memberIds) {
		return memberIds.stream().map(this::replica).toList();
	}

	/** A settled cluster: every view agrees and every share is fair. */
	record Settled(long atNanos, long waitedMillis, Map<String, ClusterView> views) {

		/** The owner of each partition, as the first member's view has it. */
		Map<Integer, String> owners() {
			return this.views.values().iterator().next().owners();
		}

		Map<String, Integer> counts() {
			return this.views.values().iterator().next().counts();
		}

		/** The largest share over an equal share. */
		double skew() {
			int largest = counts().values().stream().mapToInt(Integer::intValue).max().orElse(0);
			return largest / ((double) ClusterView.PARTITIONS / this.views.size());
		}

	}

	/**
	 * Wait until the given members' views agree that they, and only they, own every
	 * partition, each at most {@link #MAX_SKEW} times an equal share, each in state
	 * {@code active} with no unowned partition.
	 */
	Settled awaitSettled(Set<String> memberIds, Duration deadline) throws InterruptedException {
		long start = System.nanoTime();
		long end = start + deadline.toNanos();
		String why = "no view yet";
		while (System.nanoTime() < end) {
			Map<String, ClusterView> views = views(memberIds);
			why = unsettled(memberIds, views);
			if (why == null) {
				long now = System.nanoTime();
				return new Settled(now, TimeUnit.NANOSECONDS.toMillis(now - start), views);
			}
			Thread.sleep(200);
		}
		throw new AssertionError(
				"members " + memberIds + " not settled within " + deadline + ": " + why + logHint(memberIds));
	}

	private static @Nullable String unsettled(Set<String> memberIds, Map<String, ClusterView> views) {
		for (String memberId : memberIds) {
			ClusterView view = views.get(memberId);
			if (view == null) {
				return memberId + " does not answer /actuator/cluster";
			}
			if (!view.state().equals("active") || view.unowned() != 0 || view.total() != ClusterView.PARTITIONS) {
				return view.summary();
			}
		}
		ClusterView reference = views.get(memberIds.iterator().next());
		Map<String, Integer> counts = reference.counts();
		if (reference.owners().size() != ClusterView.PARTITIONS || !memberIds.containsAll(counts.keySet())) {
			return "leases in " + reference.memberId() + "'s view: " + counts + ", "
					+ (ClusterView.PARTITIONS - reference.owners().size()) + " without a live lease";
		}
		double fair = (double) ClusterView.PARTITIONS / memberIds.size();
		for (String memberId : memberIds) {
			int count = counts.getOrDefault(memberId, 0);
			if (count > MAX_SKEW * fair) {
				return memberId + " owns " + count + ", more than " + MAX_SKEW + " x " + String.format("%.1f", fair)
						+ ": " + counts;
			}
			if (views.get(memberId).owned() != count) {
				return memberId + " says it owns " + views.get(memberId).owned() + ", " + reference.memberId()
						+ "'s view says " + count;
			}
		}
		return null;
	}

	/**
	 * Poll the given members' views every {@code every} until, in every one of them,
	 * those members own every partition with a live lease.
	 * @return the {@link System#nanoTime()} of the poll that first saw it
	 */
	long awaitOwnedOnlyBy(Set<String> memberIds, Duration every, Duration deadline) throws InterruptedException {
		long end = System.nanoTime() + deadline.toNanos();
		String why = "no view yet";
		while (System.nanoTime() < end) {
			long polled = System.nanoTime();
			why = null;
			for (String memberId : memberIds) {
				ClusterView view = replica(memberId).cluster();
				if (view == null) {
					why = memberId + " does not answer /actuator/cluster";
					break;
				}
				Map<Integer, String> owners = view.owners();
				boolean others = owners.values().stream().anyMatch((owner) -> !memberIds.contains(owner));
				if (view.unowned() != 0 || owners.size() != ClusterView.PARTITIONS || others) {
					why = view.summary();
					break;
				}
			}
			if (why == null) {
				return polled;
			}
			long sleep = polled + every.toNanos() - System.nanoTime();
			if (sleep > 0) {
				TimeUnit.NANOSECONDS.sleep(sleep);
			}
		}
		throw new AssertionError(
				"partitions not all owned by " + memberIds + " within " + deadline + ": " + why + logHint(memberIds));
	}

	/** The views of the given members that answer (in member order). */
	Map<String, ClusterView> views(Collection<String> memberIds) {
		Map<String, ClusterView> views = new LinkedHashMap<>();
		for (String memberId : memberIds.stream().sorted().toList()) {
			ClusterView view = replica(memberId).cluster();
			if (view != null) {
				views.put(memberId, view);
			}
		}
		return views;
	}

	String logHint(Collection<String> memberIds) {
		return "; logs: " + memberIds.stream()
			.sorted()
			.map((memberId) -> replica(memberId).log().toString())
			.collect(Collectors.joining(", "));
	}

	/** Every process ever started, killed (bounded); every proxy closed. */
	@Override
	public void close() {
		for (Replica replica : this.started) {
			try {
				replica.close();
			}
			catch (InterruptedException | RuntimeException ex) {
				System.out.println("ClusterIT: could not kill " + replica + ": " + ex);
			}
		}
		for (TcpProxy proxy : this.proxies) {
			try {
				proxy.close();
			}
			catch (IOException ex) {
				// Closing anyway.
			}
		}
	}

	/**
	 * SIGKILL to every process still alive, from a shutdown hook: nothing may outlive the
	 * test JVM.
	 */
	void killAll() {
		this.started.forEach((replica) -> {
			if (replica.isAlive()) {
				ProcessHandle.of(replica.pid()).ifPresent(ProcessHandle::destroyForcibly);
			}
		});
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
