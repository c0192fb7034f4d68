package dev.pulse.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

import dev.pulse.cluster.HealthRows.Published;
import dev.pulse.cluster.HealthRows.Row;
import dev.pulse.cluster.LeaseStore.Lease;
import dev.pulse.cluster.LeaseStore.LeaseRow;
import dev.pulse.cluster.LeaseStore.Member;
import dev.pulse.health.HealthSummary;
import dev.pulse.health.HealthTracker;
import dev.pulse.health.TargetHealth;
import dev.pulse.schedule.ProbeScheduler;
import dev.pulse.store.RegistrationFeed;
import dev.pulse.store.TargetStore;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * One replica's part in the cluster (README, "Replicas"; docs/cluster.md). A single
 * thread, {@code pulse-cluster}, does everything that touches the cluster's tables, so
 * ownership changes here in one order:
 * <ol>
 * <li>every renew interval (or at once when a doorbell says leases moved): heartbeat and
 * renew this member's leases in one transaction, take up partitions pushed to it, drop
 * those taken from it, then plan (rendezvous hashing with bounded loads), claim free or
 * dead members' partitions it is planned, and push at most {@code max-moves-per-tick} of
 * its own to their planned owners;</li>
 * <li>on a doorbell or every poll interval: apply other replicas' registrations, and
 * replicate the health summaries of partitions others own;</li>
 * <li>on a state change or every publish interval: publish the summaries of its own
 * targets that changed, fenced by each partition's epoch.</li>
 * </ol>
 * It stops after the scheduler starts and stops before it: on SIGTERM it stops probing
 * its partitions, publishes their last summaries and pushes them to the next owners in
 * one transaction, so none is left to wait for a lease to expire.
 */
public final class ClusterCoordinator implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ClusterCoordinator.class);

	/** Registration changes read per query. */
	private static final int CHANGE_BATCH = 1000;

	/** Drift of a published EWMA latency that is worth publishing: 10%. */
	private static final double LATENCY_DRIFT = 0.10;

	/**
	 * The least latency drift worth a write. Below a millisecond, 10% is noise: on
	 * loopback two probes in three drifted that far, and ClusterIT's three replicas
	 * published 200 rows a second for 300 targets, which made every doorbell's read slow
	 * and state changes wait behind them.
	 */
	private static final double LATENCY_DRIFT_FLOOR_MS = 1.0;

	/** Drift of a published error rate worth publishing: one point. */
	private static final double ERROR_RATE_DRIFT = 0.01;

	private final ClusterProperties properties;

	private final String memberId;

	private final UUID incarnation = UUID.randomUUID();

	private final OwnershipGate gate;

	private final LeaseStore leases;

	private final HealthRows healthRows;

	private final TargetStore changes;

	private final RegistrationFeed feed;

	private final TargetRegistry registry;

	private final HealthTracker health;

	private final ProbeScheduler scheduler;

	private final Doorbell doorbell;

	private final Object monitor = new Object();

	private final Object syncMonitor = new Object();

	private final List<OwnershipListener> listeners = new CopyOnWriteArrayList<>();

	// Only the lease thread touches acquiredNanos, only the sync thread the cursors.
	private final long[] acquiredNanos;

	private final long[] healthCursors;

	private final Map<String, Publication> published = new java.util.concurrent.ConcurrentHashMap<>();

	// Partitions acquired and released in the current step, by reason: one event each.
	private final Map<String, List<Integer>> acquiredNow = new LinkedHashMap<>();

	private final Map<String, List<Integer>> releasedNow = new LinkedHashMap<>();

	private long changeCursor;

	private long nextResyncNanos;

	// Bells rung by the doorbell and state changes, read by the cluster thread.
	private volatile boolean leaseBell;

	private volatile boolean changeBell;

	private volatile boolean healthBell;

	private volatile boolean stateBell;

	private volatile boolean running;

	private volatile @Nullable Thread thread;

	private volatile @Nullable Thread syncThread;

	private volatile boolean online;

	private volatile String role = "starting";

	private volatile long lastRenewalNanos = Long.MIN_VALUE;

	/** Since when renewals have succeeded without a break (the lease thread's). */
	private long onlineSinceNanos;

	/** Whether a renewal of this incarnation has ever failed (the lease thread's). */
	private boolean renewalEverFailed;

	private volatile boolean lastRenewalOk;

	private final AtomicReference<View> view = new AtomicReference<>(new View(List.of(), List.of()));

	private final Counter handovers;

	private final Counter takeovers;

	private final Counter renewalFailures;

	private final Counter fencedWrites;

	private final Counter publishedRows;

	private final Timer renewals;

	ClusterCoordinator(ClusterProperties properties, String memberId, OwnershipGate gate, LeaseStore leases,
			HealthRows healthRows, TargetStore changes, RegistrationFeed feed, TargetRegistry registry,
			HealthTracker health, ProbeScheduler scheduler, Doorbell doorbell, MeterRegistry meters) {
		this.properties = properties;
		this.memberId = memberId;
		this.gate = gate;
		this.leases = leases;
		this.healthRows = healthRows;
		this.changes = changes;
		this.feed = feed;
		this.registry = registry;
		this.health = health;
		this.scheduler = scheduler;
		this.doorbell = doorbell;
		this.acquiredNanos = new long[properties.partitions()];
		this.healthCursors = new long[properties.partitions()];
		// Before the registrations are loaded (after every bean exists), so no change
		// made
		// between that load and the first poll is missed; replaying one is harmless.
		this.feed.start();
		this.changeCursor = changes.changeVersion();
		scheduler.setGate(gate);
		health.addListener((target, change) -> {
			if (this.gate.owns(target)) {
				this.stateBell = true;
				wake();
			}
		});
		this.handovers = Counter.builder("pulse.cluster.handovers")
			.description("Partitions this replica pushed to another on a plan change or at shutdown")
			.register(meters);
		this.takeovers = Counter.builder("pulse.cluster.takeovers")
			.description("Partitions this replica took from a member whose lease expired")
			.register(meters);
		this.renewalFailures = Counter.builder("pulse.cluster.lease.renewal.failures")
			.description("Lease renewals that failed (database unreachable or too slow)")
			.register(meters);
		this.fencedWrites = Counter.builder("pulse.cluster.fenced.writes")
			.description("Health publications refused because the partition had moved to a newer epoch")
			.register(meters);
		this.publishedRows = Counter.builder("pulse.cluster.health.published")
			.description("Health summaries this replica wrote for the others (what each poll reads)")
			.register(meters);
		this.renewals = Timer.builder("pulse.cluster.lease.renewal")
			.description("Time to heartbeat and renew this member's leases")
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(properties.leaseDuration())
			.register(meters);
		// Rows of members killed without leaving stay in the table; only live ones count.
		Gauge
			.builder("pulse.cluster.members", this,
					c -> c.view.get().members().stream().filter(m -> m.ready() && c.alive(m)).count())
			.description("Members with a live heartbeat, as this replica last read them")
			.register(meters);
		Gauge.builder("pulse.cluster.partitions.owned", gate, OwnershipGate::owned)
			.description("Partitions this replica holds")
			.register(meters);
		Gauge.builder("pulse.cluster.partitions.unowned", this, ClusterCoordinator::unowned)
			.description("Partitions with no live lease, as this replica last read them")
			.register(meters);
	}

	public String memberId() {
		return this.memberId;
	}

	public UUID incarnation() {
		return this.incarnation;
	}

	/** Whether this replica holds the partition of a target. */
	public boolean owns(String target) {
		return this.gate.holds(this.gate.partitionOf(target));
	}

	/** The partition of a target. */
	public int partitionOf(String target) {
		return this.gate.partitionOf(target);
	}

	/**
	 * The live member holding a target's partition, as this replica last read the leases;
	 * null when none (the partition is moving, or no view yet).
	 */
	public @Nullable Owner ownerOf(String target) {
		int partition = partitionOf(target);
		View current = this.view.get();
		if (partition >= current.leases().size()) {
			return null;
		}
		LeaseRow lease = current.leases().get(partition);
		return current.members()
			.stream()
			.filter(member -> member.id().equals(lease.owner()) && member.incarnation().equals(lease.incarnation())
					&& alive(member))
			.findFirst()
			.map(member -> new Owner(member.id(), member.address()))
			.orElse(null);
	}

	/** Told of every partition this replica acquires or releases. */
	public void addListener(OwnershipListener listener) {
		this.listeners.add(listener);
	}

	@Override
	public void start() {
		int created = this.leases.initialise(this.properties.partitions());
		if (created != this.properties.partitions()) {
			throw new IllegalStateException("pulse.cluster.partitions is " + this.properties.partitions()
					+ " but the cluster in this database was created with " + created
					+ "; every replica must use the count the cluster was created with");
		}
		join();
		this.running = true;
		this.doorbell.start(this::ring);
		Thread cluster = new Thread(this::runLeases, "pulse-cluster");
		cluster.setDaemon(true);
		this.thread = cluster;
		Thread sync = new Thread(this::runSync, "pulse-cluster-sync");
		sync.setDaemon(true);
		this.syncThread = sync;
		cluster.start();
		sync.start();
	}

	/**
	 * Join as a new incarnation. While the previous incarnation of this member id still
	 * heartbeats (a container restarted faster than a lease), wait for its row to age;
	 * another live process with this id fails start-up.
	 */
	private void join() {
		long deadline = System.nanoTime() + 2 * this.properties.leaseDuration().toNanos();
		while (true) {
			List<Lease> restored = this.leases.join(this.memberId, this.incarnation, this.properties.address());
			if (restored != null) {
				long stopped = stoppedBeforeExpiry();
				acquire(restored, new PartitionIndex(), "restart", lease -> stopped);
				announce();
				this.role = "active";
				logger.info("Joined the cluster as member '{}' (incarnation {}), {} partition(s) taken back",
						this.memberId, this.incarnation, restored.size());
				return;
			}
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Another live process is cluster member '" + this.memberId
						+ "': give each replica its own pulse.cluster.member-id");
			}
			logger.info("Member '{}' still heartbeats from an earlier incarnation; waiting for it to age",
					this.memberId);
			sleep(this.properties.renewInterval());
		}
	}

	@Override
	public void stop() {
		this.running = false;
		wake();
		for (Thread worker : new Thread[] { this.thread, this.syncThread }) {
			if (worker != null) {
				try {
					worker.join(this.properties.renewDeadline().toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}
		this.doorbell.stop();
		leave();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** After the scheduler starts, and before it stops. */
	@Override
	public int getPhase() {
		return ProbeScheduler.PHASE + 1;
	}

	/**
	 * The lease thread: renewals, ownership and hand-overs only, so no read or
	 * publication of health, however slow, delays a renewal past the deadline that fences
	 * probing.
	 */
	private void runLeases() {
		long renewNanos = this.properties.renewInterval().toNanos();
		long nextRenew = System.nanoTime();
		while (this.running) {
			try {
				if (System.nanoTime() - nextRenew >= 0 || this.leaseBell) {
					this.leaseBell = false;
					try {
						renewAndBalance();
					}
					finally {
						announce();
					}
					nextRenew = System.nanoTime() + renewNanos;
				}
				long wait = nextRenew - System.nanoTime();
				synchronized (this.monitor) {
					if (wait > 0 && this.running && !this.leaseBell) {
						TimeUnit.NANOSECONDS.timedWait(this.monitor, wait);
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				logger.error("Cluster lease step failed", ex);
				sleep(this.properties.renewInterval());
			}
		}
	}

	/**
	 * The sync thread: other replicas' registrations and health in, this replica's health
	 * out.
	 */
	private void runSync() {
		long pollNanos = this.properties.pollInterval().toNanos();
		long publishNanos = this.properties.publishInterval().toNanos();
		long nextPoll = System.nanoTime();
		long nextPublish = nextPoll;
		this.nextResyncNanos = nextPoll + this.properties.resyncInterval().toNanos();
		while (this.running) {
			try {
				long now = System.nanoTime();
				if (this.online && (now - nextPoll >= 0 || this.changeBell || this.healthBell)) {
					this.changeBell = false;
					this.healthBell = false;
					pollRegistrations();
					pollHealth();
					nextPoll = System.nanoTime() + pollNanos;
				}
				if (this.online && (now - nextPublish >= 0 || this.stateBell)) {
					this.stateBell = false;
					publish(false);
					nextPublish = System.nanoTime() + publishNanos;
				}
				long wait = Math.min(nextPoll, nextPublish) - System.nanoTime();
				synchronized (this.syncMonitor) {
					if (this.running && !this.changeBell && !this.healthBell && !this.stateBell) {
						// Offline, wait a poll interval for the lease thread to find the
						// database.
						TimeUnit.NANOSECONDS.timedWait(this.syncMonitor, (wait > 0) ? wait : pollNanos);
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				// A poll or publication that failed; the lease thread says whether the
				// database is gone, and the next round reads or publishes again.
				logger.debug("Cluster sync step failed: {}", ex.getMessage());
				sleep(this.properties.pollInterval());
			}
		}
	}

	private void ring(char what) {
		switch (what) {
			case 'l' -> this.leaseBell = true;
			case 't' -> this.changeBell = true;
			case 'h' -> this.healthBell = true;
			default -> {
				this.leaseBell = true;
				this.changeBell = true;
				this.healthBell = true;
			}
		}
		wake();
	}

	private void wake() {
		synchronized (this.monitor) {
			this.monitor.notifyAll();
		}
		synchronized (this.syncMonitor) {
			this.syncMonitor.notifyAll();
		}
	}

	// ---- leases -------------------------------------------------------------------

	private void renewAndBalance() {
		long start = System.nanoTime();
		List<Lease> held;
		try {
			held = this.leases.renew(this.memberId, this.incarnation, true, false);
		}
		catch (DataAccessException | TransactionException ex) {
			this.renewalFailures.increment();
			this.lastRenewalOk = false;
			if (this.online) {
				logger.warn(
						"Lease renewal failed, the database is out of reach ({}); {} probing the {} partition(s) "
								+ "held",
						ex.getMessage(), (this.properties.onDbLoss() == ClusterProperties.OnDbLoss.CONTINUE)
								? "going on" : "stopping at the renew deadline",
						this.gate.owned());
			}
			this.online = false;
			this.renewalEverFailed = true;
			this.role = "outage";
			this.gate.outage();
			return;
		}
		this.renewals.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
		this.lastRenewalNanos = start;
		this.lastRenewalOk = true;
		if (held == null) {
			logger.error("Member row '{}' belongs to another incarnation now; dropping every partition and joining "
					+ "again", this.memberId);
			dropAll();
			this.online = false;
			join();
			return;
		}
		// Drop what was taken before the gate opens again: a replica that wakes from a
		// long
		// pause must not probe, even for a moment, what another member owns now. Ages are
		// measured from the renewal's end, so a pushed partition's catch-up never reaches
		// back before its previous owner stopped (a duplicate); at worst a slot in the
		// renewal's own few milliseconds waits for its next slot.
		reconcile(held, System.nanoTime());
		this.gate.renewed(start, this.properties.renewDeadline().toNanos());
		if (!this.online && "outage".equals(this.role)) {
			logger.info("Lease renewal works again: {} partition(s) held", held.size());
		}
		if (!this.online) {
			this.onlineSinceNanos = System.nanoTime();
		}
		this.online = true;
		this.role = "active";
		balance();
	}

	/**
	 * Take up what the renewal says is held, drop what is no longer. A partition pushed
	 * here goes on from the moment its previous owner stopped probing it, which is its
	 * {@code acquired_at} on the database's clock.
	 */
	private void reconcile(List<Lease> held, long renewStartNanos) {
		Map<Integer, Lease> byPartition = new HashMap<>();
		held.forEach(lease -> byPartition.put(lease.partition(), lease));
		PartitionIndex index = new PartitionIndex();
		for (int p = 0; p < this.properties.partitions(); p++) {
			if (this.gate.holds(p) && !byPartition.containsKey(p)) {
				logger.warn("Partition {} was taken over by another member; it is no longer probed here", p);
				release(p, this.gate.epoch(p), index, "taken-over");
			}
		}
		List<Lease> pushed = new ArrayList<>();
		for (Lease lease : held) {
			if (!this.gate.holds(lease.partition())) {
				pushed.add(lease);
			}
			else {
				this.gate.hold(lease.partition(), lease.epoch());
			}
		}
		acquire(pushed, index, "handed-over",
				lease -> renewStartNanos - TimeUnit.MILLISECONDS.toNanos(lease.acquiredAgoMillis()));
	}

	private void balance() {
		List<Member> members = this.leases.members();
		List<LeaseRow> rows = this.leases.leases();
		this.view.set(new View(members, rows));
		Map<String, Member> alive = new LinkedHashMap<>();
		for (Member member : members) {
			if (alive(member)) {
				alive.put(member.id(), member);
			}
		}
		List<String> planned = alive.values()
			.stream()
			.filter(member -> member.ready() && !member.leaving())
			.map(Member::id)
			.toList();
		if (!planned.contains(this.memberId)) {
			return;
		}
		String[] plan = Assignment.plan(planned, this.properties.partitions(), this.properties.balanceFactor());
		List<Integer> claims = new ArrayList<>();
		Set<Integer> fromDead = new HashSet<>();
		boolean mayTakeOver = mayTakeOver(alive, members, rows);
		for (LeaseRow row : rows) {
			int p = row.partition();
			if (!this.memberId.equals(plan[p]) || this.gate.holds(p)) {
				continue;
			}
			Member owner = (row.owner() != null) ? alive.get(row.owner()) : null;
			boolean ownerAlive = owner != null && owner.incarnation().equals(row.incarnation());
			if (row.owner() == null || (!ownerAlive && row.expiresInMillis() < 0 && mayTakeOver)) {
				claims.add(p);
				if (row.owner() != null) {
					fromDead.add(p);
				}
			}
		}
		if (!claims.isEmpty()) {
			List<Lease> claimed = this.leases.claim(this.memberId, this.incarnation, claims);
			long stopped = stoppedBeforeExpiry();
			acquire(claimed, new PartitionIndex(), "claimed",
					lease -> fromDead.contains(lease.partition()) ? stopped : Long.MAX_VALUE);
			long taken = claimed.stream().filter(lease -> fromDead.contains(lease.partition())).count();
			if (taken > 0) {
				this.takeovers.increment(taken);
				logger.info("Took over {} partition(s) of members whose leases expired", taken);
			}
		}
		handOver(plan, alive, this.properties.maxMovesPerTick());
	}

	/**
	 * The mass-failure guard (as the Kubernetes node controller's): after a database
	 * outage every heartbeat looks stale at first, and each member's pool reconnects at
	 * its own pace. So a member whose own renewals failed takes over from members that
	 * look dead only once its renewals have worked again for two leases and a tick, which
	 * gives every member the time to renew; an outage of the database never turns into a
	 * storm of takeovers. A member that has renewed without a break since it started has
	 * seen no outage of its own and may take over at once, unless most of the others look
	 * dead together: then it has most likely started as the database came back (a pod
	 * that could not start during the outage), and it waits as well.
	 */
	private boolean mayTakeOver(Map<String, Member> alive, List<Member> members, List<LeaseRow> rows) {
		long settled = this.properties.leaseDuration().multipliedBy(2).plus(this.properties.renewInterval()).toNanos();
		if (System.nanoTime() - this.onlineSinceNanos - settled >= 0) {
			return true;
		}
		if (this.renewalEverFailed) {
			return false;
		}
		// Only members that still hold leases count: rows of members long gone (killed
		// pods whose partitions were taken over) say nothing about now.
		Set<String> holders = new HashSet<>();
		rows.forEach(row -> {
			if (row.owner() != null) {
				holders.add(row.owner());
			}
		});
		long others = 0;
		long dead = 0;
		for (Member member : members) {
			boolean live = alive.containsKey(member.id());
			if (member.id().equals(this.memberId) || (!live && !holders.contains(member.id()))) {
				continue;
			}
			others++;
			dead += live ? 0 : 1;
		}
		return dead * 2 <= others;
	}

	/** Push partitions this member holds to their planned owners, oldest held first. */
	private void handOver(String[] plan, Map<String, Member> alive, int most) {
		long now = System.nanoTime();
		long minHold = this.properties.minHold().toNanos();
		Map<Member, List<Integer>> moves = new HashMap<>();
		int count = 0;
		for (int p = 0; p < plan.length && count < most; p++) {
			String to = plan[p];
			if (!this.gate.holds(p) || to == null || to.equals(this.memberId)
					|| now - this.acquiredNanos[p] < minHold) {
				continue;
			}
			Member receiver = alive.get(to);
			if (receiver == null || !receiver.ready() || receiver.leaving()) {
				continue;
			}
			moves.computeIfAbsent(receiver, member -> new ArrayList<>()).add(p);
			count++;
		}
		if (!moves.isEmpty()) {
			push(moves);
		}
	}

	/**
	 * Stop probing the partitions, publish their last summaries and push them in one
	 * transaction. If the push fails they are taken up again from the next renewal.
	 */
	private void push(Map<Member, List<Integer>> moves) {
		PartitionIndex index = new PartitionIndex();
		Map<Integer, Long> epochs = new HashMap<>();
		int[] moved = new int[1];
		this.leases.inTransaction(() -> {
			// Probing stops first, then the transaction's clock starts: acquired_at :=
			// now() comes after the last probe this replica can start, so the new owner's
			// catch-up never repeats a slot probed here (a double owner). A slot within
			// these few milliseconds is missed instead: the safe side.
			moves.values().forEach(ps -> ps.forEach(p -> {
				epochs.put(p, this.gate.epoch(p));
				this.gate.drop(p);
			}));
			this.leases.beginClock();
			publishFinal(epochs, index);
			moved[0] = this.leases.handOver(this.memberId, this.incarnation, moves);
		});
		this.handovers.increment(moved[0]);
		epochs.forEach((p, epoch) -> release(p, epoch, index, "handed-over"));
		logger.info("Handed over {} partition(s) to {}", moved[0],
				moves.keySet().stream().map(Member::id).sorted().toList());
	}

	/**
	 * Hold partitions: adopt the health their targets had where they were probed before
	 * (one read for all), then schedule them on their phase, catching up at once on a
	 * slot that fell since their previous owner stopped probing. A pushed target goes on
	 * from the slot after the last one its previous owner probed, which that owner
	 * published with its final summary.
	 * @param stoppedNanos for each lease, when its previous owner stopped probing it on
	 * this JVM's clock; {@link Long#MAX_VALUE} when no one probed it (a new partition)
	 */
	private void acquire(List<Lease> leases, PartitionIndex index, String why, ToLongFunction<Lease> stoppedNanos) {
		if (leases.isEmpty()) {
			return;
		}
		// Only a push publishes the last start, in the transaction that moves the lease;
		// a claimed partition's rows may be older than its previous owner's last probe.
		boolean handedOver = "handed-over".equals(why);
		List<String> names = new ArrayList<>();
		leases.forEach(lease -> index.targets(lease.partition()).forEach(target -> names.add(target.name())));
		Map<String, Long> lastStarted = new HashMap<>();
		for (Row row : this.healthRows.of(names)) {
			if (row.summary() != null) {
				this.health.adopt(row.name(), row.summary());
				if (row.summary().lastStartedAt() != null) {
					lastStarted.put(row.name(), row.summary().lastStartedAt());
				}
			}
		}
		long now = System.nanoTime();
		for (Lease lease : leases) {
			int p = lease.partition();
			this.acquiredNanos[p] = now;
			this.gate.hold(p, lease.epoch());
			long stopped = stoppedNanos.applyAsLong(lease);
			for (Target target : index.targets(p)) {
				if (!target.probed()) {
					continue;
				}
				Long started = handedOver ? lastStarted.get(target.name()) : null;
				if (started != null) {
					this.scheduler.scheduleAfter(target, started);
				}
				else if (stopped == Long.MAX_VALUE) {
					this.scheduler.schedule(target);
				}
				else {
					this.scheduler.scheduleResuming(target, stopped);
				}
			}
			this.acquiredNow.computeIfAbsent(why, key -> new ArrayList<>()).add(p);
		}
	}

	/**
	 * When a member whose lease expired stopped probing at the latest: at its renew
	 * deadline, which came at least lease-duration minus renew-deadline before the
	 * expiry.
	 */
	private long stoppedBeforeExpiry() {
		return System.nanoTime() - this.properties.leaseDuration().minus(this.properties.renewDeadline()).toNanos();
	}

	/** Stop probing a partition's targets and serve their last known health. */
	private void release(int p, long epoch, PartitionIndex index, String why) {
		this.gate.drop(p);
		for (Target target : index.targets(p)) {
			this.scheduler.unschedule(target.name());
			this.health.handOver(target.name());
			this.published.remove(target.name());
		}
		this.releasedNow.computeIfAbsent(why, key -> new ArrayList<>()).add(p);
	}

	private void dropAll() {
		PartitionIndex index = new PartitionIndex();
		for (int p = 0; p < this.properties.partitions(); p++) {
			if (this.gate.holds(p)) {
				release(p, this.gate.epoch(p), index, "incarnation-replaced");
			}
		}
	}

	/**
	 * Shutting down: stop probing, publish, push every partition to its next owner in one
	 * transaction, then leave (releasing whatever no one could take).
	 */
	private void leave() {
		this.role = "leaving";
		try {
			// Marked leaving first, so no member plans or pushes a partition to this one
			// now.
			this.leases.renew(this.memberId, this.incarnation, false, true);
			List<Member> members = this.leases.members();
			Map<String, Member> others = new LinkedHashMap<>();
			members.stream()
				.filter(m -> !m.id().equals(this.memberId) && m.ready() && !m.leaving() && alive(m))
				.forEach(m -> others.put(m.id(), m));
			long start = System.nanoTime();
			int held = this.gate.owned();
			if (!others.isEmpty()) {
				String[] plan = Assignment.plan(new ArrayList<>(others.keySet()), this.properties.partitions(),
						this.properties.balanceFactor());
				Map<Member, List<Integer>> moves = new HashMap<>();
				for (int p = 0; p < plan.length; p++) {
					if (this.gate.holds(p)) {
						moves.computeIfAbsent(others.get(plan[p]), m -> new ArrayList<>()).add(p);
					}
				}
				if (!moves.isEmpty()) {
					push(moves);
				}
			}
			else {
				PartitionIndex index = new PartitionIndex();
				Map<Integer, Long> epochs = new HashMap<>();
				for (int p = 0; p < this.properties.partitions(); p++) {
					if (this.gate.holds(p)) {
						epochs.put(p, this.gate.epoch(p));
					}
				}
				publishFinal(epochs, index);
			}
			int released = this.leases.leave(this.memberId, this.incarnation);
			logger.info(
					"Left the cluster: {} partition(s) handed over or released in {} ms ({} released with no "
							+ "member to take them)",
					held, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), released);
		}
		catch (DataAccessException ex) {
			logger.warn("Could not hand over on shutdown ({}); the partitions move when their leases expire",
					ex.getMessage());
		}
		announce();
		this.gate.closeNow();
		this.role = "left";
	}

	// ---- health ---------------------------------------------------------------------

	/** Publish what changed among this replica's targets; everything when forced. */
	private void publish(boolean all) {
		Map<Integer, List<Published>> byPartition = new HashMap<>();
		long now = System.nanoTime();
		long stale = this.properties.resyncInterval().toNanos();
		for (Target target : this.registry.all()) {
			int p = this.gate.partitionOf(target.name());
			if (!this.gate.holds(p)) {
				continue;
			}
			HealthSummary summary = this.health.summary(target.name()).orElse(null);
			if (summary == null) {
				continue;
			}
			Publication last = this.published.get(target.name());
			if (all || last == null || now - last.atNanos() > stale
					|| worthPublishing(last.health(), summary.health())) {
				byPartition.computeIfAbsent(p, key -> new ArrayList<>()).add(new Published(target.name(), summary));
			}
		}
		publishRows(byPartition, now);
	}

	private void publishFinal(Map<Integer, Long> epochs, PartitionIndex index) {
		Map<Integer, List<Published>> byPartition = new HashMap<>();
		for (int p : epochs.keySet()) {
			for (Target target : index.targets(p)) {
				// Probing has stopped by now, so the last start is final: the new owner
				// goes
				// on from the slot after it.
				OptionalLong started = this.scheduler.lastStartedAt(target.name());
				this.health.summary(target.name())
					.map(summary -> summary.withLastStartedAt(started.isPresent() ? started.getAsLong() : null))
					.ifPresent(summary -> byPartition.computeIfAbsent(p, key -> new ArrayList<>())
						.add(new Published(target.name(), summary)));
			}
		}
		byPartition.forEach((p, rows) -> {
			if (this.healthRows.publish(this.memberId, this.incarnation, p, epochs.get(p), rows)) {
				this.publishedRows.increment(rows.size());
			}
			else {
				this.fencedWrites.increment();
			}
		});
	}

	private void publishRows(Map<Integer, List<Published>> byPartition, long now) {
		for (Map.Entry<Integer, List<Published>> entry : byPartition.entrySet()) {
			int p = entry.getKey();
			long epoch = this.gate.epoch(p);
			if (epoch < 0) {
				continue;
			}
			if (this.healthRows.publish(this.memberId, this.incarnation, p, epoch, entry.getValue())) {
				this.publishedRows.increment(entry.getValue().size());
				entry.getValue()
					.forEach(row -> this.published.put(row.name(), new Publication(row.summary().health(), now)));
			}
			else {
				this.fencedWrites.increment();
				this.leaseBell = true;
			}
		}
	}

	/**
	 * Whether a summary differs enough from the one published to be worth a write: a
	 * state, failure reason or transition, or a latency or error rate that drifted, since
	 * other replicas route by them. Counters that tick with every probe are not.
	 */
	static boolean worthPublishing(TargetHealth published, TargetHealth now) {
		if (published.state() != now.state() || !java.util.Objects.equals(published.lastFailure(), now.lastFailure())
				|| !java.util.Objects.equals(published.upSince(), now.upSince())
				|| !published.changes().equals(now.changes()) || published.unreachable() != now.unreachable()) {
			return true;
		}
		if (drifted(published.latencyEwmaMs(), now.latencyEwmaMs(),
				Math.max(LATENCY_DRIFT_FLOOR_MS, LATENCY_DRIFT * Math.abs(nz(published.latencyEwmaMs()))))) {
			return true;
		}
		return drifted(published.errorRate(), now.errorRate(), ERROR_RATE_DRIFT);
	}

	private static boolean drifted(@Nullable Double before, @Nullable Double now, double tolerance) {
		if (before == null || now == null) {
			return before != now;
		}
		return Math.abs(now - before) > tolerance;
	}

	private static double nz(@Nullable Double value) {
		return (value != null) ? value : 0;
	}

	private void pollRegistrations() {
		List<TargetStore.Change> batch;
		do {
			batch = this.changes.changesSince(this.changeCursor, CHANGE_BATCH);
			if (!batch.isEmpty()) {
				this.feed.apply(batch);
				this.changeCursor = batch.get(batch.size() - 1).version();
			}
		}
		while (batch.size() == CHANGE_BATCH);
	}

	/**
	 * Replicate the summaries others published since the cursors, or all after a resync.
	 */
	private void pollHealth() {
		long now = System.nanoTime();
		if (now - this.nextResyncNanos >= 0) {
			java.util.Arrays.fill(this.healthCursors, 0);
			this.nextResyncNanos = now + this.properties.resyncInterval().toNanos();
		}
		List<LeaseRow> rows = this.leases.leases();
		View current = this.view.get();
		this.view.set(new View(current.members(), rows));
		List<Integer> behind = new ArrayList<>();
		for (LeaseRow row : rows) {
			if (!this.gate.holds(row.partition()) && row.hw() > this.healthCursors[row.partition()]) {
				behind.add(row.partition());
			}
		}
		if (behind.isEmpty()) {
			return;
		}
		int[] ps = behind.stream().mapToInt(Integer::intValue).toArray();
		long[] after = new long[ps.length];
		for (int i = 0; i < ps.length; i++) {
			after[i] = this.healthCursors[ps[i]];
		}
		for (Row row : this.healthRows.since(ps, after)) {
			this.healthCursors[row.partition()] = Math.max(this.healthCursors[row.partition()], row.version());
			if (row.summary() == null || this.gate.holds(row.partition())) {
				continue;
			}
			this.registry.find(row.name()).ifPresent(target -> this.health.replicate(target, row.summary().health()));
		}
		for (LeaseRow row : rows) {
			if (behind.contains(row.partition())) {
				this.healthCursors[row.partition()] = Math.max(this.healthCursors[row.partition()], row.hw());
			}
		}
	}

	// ---- views ------------------------------------------------------------------------

	private double unowned() {
		View current = this.view.get();
		Set<String> alive = new HashSet<>();
		current.members().stream().filter(this::alive).forEach(m -> alive.add(m.id()));
		return current.leases()
			.stream()
			.filter(row -> row.owner() == null || !alive.contains(row.owner()) || row.expiresInMillis() < 0)
			.count();
	}

	/** What {@code /actuator/cluster} shows. */
	ClusterEndpoint.ClusterDescriptor describe() {
		View current = this.view.get();
		Map<String, Integer> held = new HashMap<>();
		current.leases().forEach(row -> {
			if (row.owner() != null) {
				held.merge(row.owner(), 1, Integer::sum);
			}
		});
		List<ClusterEndpoint.MemberDescriptor> members = current.members()
			.stream()
			.sorted(java.util.Comparator.comparing(Member::id))
			.map(m -> new ClusterEndpoint.MemberDescriptor(m.id(), m.address(), m.ready(), m.leaving(), alive(m),
					m.heartbeatAgeMillis(), held.getOrDefault(m.id(), 0), m.id().equals(this.memberId)))
			.toList();
		List<ClusterEndpoint.LeaseDescriptor> leaseViews = current.leases()
			.stream()
			.map(row -> new ClusterEndpoint.LeaseDescriptor(row.partition(), row.owner(), row.epoch(),
					(row.expiresInMillis() == Long.MIN_VALUE) ? null : row.expiresInMillis()))
			.toList();
		long renewed = this.lastRenewalNanos;
		Long age = (renewed == Long.MIN_VALUE) ? null : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - renewed);
		int owned = this.gate.owned();
		return new ClusterEndpoint.ClusterDescriptor(true, this.memberId, this.incarnation.toString(), this.role,
				new ClusterEndpoint.PartitionCounts(this.properties.partitions(), owned, (int) unowned()),
				new ClusterEndpoint.Renewal(age, this.lastRenewalOk), members, leaseViews);
	}

	/** A member is alive while its heartbeat is younger than a lease. */
	private boolean alive(Member member) {
		return member.heartbeatAgeMillis() < this.properties.leaseDuration().toMillis();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The registry's targets by partition, computed once per step that needs it. */
	private final class PartitionIndex {

		private @Nullable Map<Integer, List<Target>> byPartition;

		List<Target> targets(int partition) {
			if (this.byPartition == null) {
				Map<Integer, List<Target>> index = new HashMap<>();
				for (Target target : ClusterCoordinator.this.registry.all()) {
					index
						.computeIfAbsent(ClusterCoordinator.this.gate.partitionOf(target.name()),
								p -> new ArrayList<>())
						.add(target);
				}
				this.byPartition = index;
			}
			return this.byPartition.getOrDefault(partition, List.of());
		}

	}

	/**
	 * The replica that probes a target.
	 *
	 * @param memberId its member id
	 * @param address its {@code pulse.cluster.address}, if it has one
	 */
	public record Owner(String memberId, @Nullable String address) {
	}

	/** A summary as last published, and when. */
	private record Publication(TargetHealth health, long atNanos) {
	}

	/** The members and leases as last read. */
	private record View(List<Member> members, List<LeaseRow> leases) {
	}

	/** Tell the listeners what this step acquired and released, one call per reason. */
	private void announce() {
		this.releasedNow.forEach((why, ps) -> this.listeners.forEach(listener -> listener.released(ps, why)));
		this.acquiredNow.forEach((why, ps) -> this.listeners.forEach(listener -> listener.acquired(ps, why)));
		this.releasedNow.clear();
		this.acquiredNow.clear();
	}

	/**
	 * Told when this replica acquires or releases partitions (for the event stream), once
	 * per step and reason rather than per partition: a first member acquires all 1,024.
	 */
	public interface OwnershipListener {

		/**
		 * @param partitions the partitions, in the order acquired
		 * @param reason {@code claimed} (free, or taken over from an expired member),
		 * {@code handed-over} (pushed by their owner) or {@code restart} (held by this
		 * member id's previous incarnation)
		 */
		void acquired(List<Integer> partitions, String reason);

		/**
		 * @param partitions the partitions, in the order released
		 * @param reason {@code handed-over}, {@code taken-over} (found taken at a
		 * renewal) or {@code incarnation-replaced}
		 */
		void released(List<Integer> partitions, String reason);

	}

}
