package dev.pulse.cluster;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The cluster's SQL: members, leases and the fenced bump of a partition's high-water
 * mark. Every change of ownership is one conditional UPDATE, so the database's row locks
 * decide every race; every time is the database's {@code now()}, so no two replicas'
 * clocks are ever compared.
 */
class LeaseStore {

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final String ttl;

	/**
	 * The age of a lease's {@code acquired_at}, in milliseconds, as a RETURNING column.
	 */
	private static final String ACQUIRED_AGO = " CAST(EXTRACT(EPOCH FROM (now() - acquired_at)) * 1000 AS BIGINT)"
			+ " AS acquired_ago_ms";

	LeaseStore(JdbcClient jdbc, TransactionTemplate transactions, Duration leaseDuration) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.ttl = leaseDuration.toMillis() + " milliseconds";
	}

	/**
	 * Create the partitions at the cluster's first start, and check that the count
	 * agrees.
	 * @return the count the cluster was created with
	 */
	int initialise(int partitions) {
		return this.transactions.execute(status -> {
			this.jdbc.sql("INSERT INTO cluster_meta (k, v) VALUES ('partitions', :n) ON CONFLICT (k) DO NOTHING")
				.param("n", Integer.toString(partitions))
				.update();
			int created = Integer.parseInt(
					this.jdbc.sql("SELECT v FROM cluster_meta WHERE k = 'partitions'").query(String.class).single());
			if (created == partitions) {
				this.jdbc
					.sql("INSERT INTO partition_lease (p) SELECT generate_series(0, :last) ON CONFLICT (p) DO NOTHING")
					.param("last", partitions - 1)
					.update();
			}
			return created;
		});
	}

	/**
	 * Join as a new incarnation of a member id. Refused while another incarnation of the
	 * id heartbeats (two processes configured with one id). Leases the id held under an
	 * older incarnation (a container restarted in its pod) come back at once, fenced by a
	 * new epoch.
	 * @return the partitions taken back, or null when refused
	 */
	@Nullable List<Lease> join(String member, UUID incarnation, @Nullable String address) {
		return this.transactions.execute(status -> {
			int joined = this.jdbc
				.sql("INSERT INTO cluster_member (member_id, incarnation, address, started_at, heartbeat_at, ready, leaving)"
						+ " VALUES (:member, :inc, :address, now(), now(), FALSE, FALSE) ON CONFLICT (member_id) DO UPDATE"
						+ " SET incarnation = excluded.incarnation, address = excluded.address, started_at = now(),"
						+ " heartbeat_at = now(), ready = FALSE, leaving = FALSE"
						+ " WHERE cluster_member.heartbeat_at < now() - CAST(:ttl AS interval)")
				.param("member", member)
				.param("inc", incarnation)
				.param("address", address)
				.param("ttl", this.ttl)
				.update();
			if (joined == 0) {
				return null;
			}
			return this.jdbc
				.sql("UPDATE partition_lease SET incarnation = :inc, epoch = epoch + 1,"
						+ " expires_at = now() + CAST(:ttl AS interval), acquired_at = now()"
						+ " WHERE owner = :member AND incarnation IS DISTINCT FROM :inc RETURNING p, epoch, hw,"
						+ ACQUIRED_AGO)
				.param("member", member)
				.param("inc", incarnation)
				.param("ttl", this.ttl)
				.query(LeaseStore::lease)
				.list();
		});
	}

	/**
	 * Heartbeat and renew every lease this incarnation holds, in one transaction.
	 * @return the leases held, or null when the member row is no longer this
	 * incarnation's (another process took the id over): then nothing is held
	 */
	@Nullable List<Lease> renew(String member, UUID incarnation, boolean ready, boolean leaving) {
		return this.transactions.execute(status -> {
			int beat = this.jdbc
				.sql("UPDATE cluster_member SET heartbeat_at = now(), ready = :ready, leaving = :leaving"
						+ " WHERE member_id = :member AND incarnation = :inc")
				.param("ready", ready)
				.param("leaving", leaving)
				.param("member", member)
				.param("inc", incarnation)
				.update();
			if (beat == 0) {
				return null;
			}
			return this.jdbc
				.sql("UPDATE partition_lease SET expires_at = now() + CAST(:ttl AS interval)"
						+ " WHERE owner = :member AND incarnation = :inc RETURNING p, epoch, hw," + ACQUIRED_AGO)
				.param("ttl", this.ttl)
				.param("member", member)
				.param("inc", incarnation)
				.query(LeaseStore::lease)
				.list();
		});
	}

	/** Every member row, with its heartbeat's age on the database's clock. */
	List<Member> members() {
		return this.jdbc.sql("SELECT member_id, incarnation, address, ready, leaving,"
				+ " CAST(EXTRACT(EPOCH FROM (now() - heartbeat_at)) * 1000 AS BIGINT) AS age_ms FROM cluster_member")
			.query((row, n) -> new Member(row.getString("member_id"), row.getObject("incarnation", UUID.class),
					row.getString("address"), row.getBoolean("ready"), row.getBoolean("leaving"),
					row.getLong("age_ms")))
			.list();
	}

	/** Every partition's lease, in partition order. */
	List<LeaseRow> leases() {
		return this.jdbc
			.sql("SELECT p, owner, incarnation, epoch, hw,"
					+ " CAST(EXTRACT(EPOCH FROM (expires_at - now())) * 1000 AS BIGINT) AS expires_in_ms"
					+ " FROM partition_lease ORDER BY p")
			.query((row, n) -> {
				long expires = row.getLong("expires_in_ms");
				return new LeaseRow(row.getInt("p"), row.getString("owner"), row.getObject("incarnation", UUID.class),
						row.getLong("epoch"), row.getLong("hw"), row.wasNull() ? Long.MIN_VALUE : expires);
			})
			.list();
	}

	/**
	 * Take partitions that are free, or whose lease expired while their owner is dead (no
	 * heartbeat within a lease). A live owner is never robbed: it hands over.
	 */
	List<Lease> claim(String member, UUID incarnation, Collection<Integer> partitions) {
		if (partitions.isEmpty()) {
			return List.of();
		}
		return this.transactions.execute(status -> {
			List<Lease> claimed = this.jdbc
				.sql("UPDATE partition_lease l SET owner = :member, incarnation = :inc, epoch = epoch + 1,"
						+ " expires_at = now() + CAST(:ttl AS interval), acquired_at = now()"
						+ " WHERE p = ANY(CAST(:ps AS int[])) AND (owner IS NULL OR (expires_at < now() AND NOT EXISTS ("
						+ " SELECT 1 FROM cluster_member m WHERE m.member_id = l.owner AND m.incarnation = l.incarnation"
						+ " AND m.heartbeat_at > now() - CAST(:ttl AS interval)))) RETURNING p, epoch, hw,"
						+ ACQUIRED_AGO)
				.param("member", member)
				.param("inc", incarnation)
				.param("ttl", this.ttl)
				.param("ps", array(partitions))
				.query(LeaseStore::lease)
				.list();
			if (!claimed.isEmpty()) {
				ring("l");
			}
			return claimed;
		});
	}

	/**
	 * Push partitions to their next owners, all in one transaction: each keeps its
	 * high-water mark, and its epoch moves on so nothing the old owner still writes
	 * lands.
	 * @param moves the partitions to move, by receiving member
	 * @return how many moved
	 */
	int handOver(String member, UUID incarnation, Map<Member, ? extends Collection<Integer>> moves) {
		if (moves.isEmpty()) {
			return 0;
		}
		return this.transactions.execute(status -> {
			int moved = 0;
			for (Map.Entry<Member, ? extends Collection<Integer>> move : moves.entrySet()) {
				moved += this.jdbc
					.sql("UPDATE partition_lease SET owner = :to, incarnation = :toInc, epoch = epoch + 1,"
							+ " expires_at = now() + CAST(:ttl AS interval), acquired_at = now()"
							+ " WHERE p = ANY(CAST(:ps AS int[])) AND owner = :member AND incarnation = :inc")
					.param("to", move.getKey().id())
					.param("toInc", move.getKey().incarnation())
					.param("ttl", this.ttl)
					.param("ps", array(move.getValue()))
					.param("member", member)
					.param("inc", incarnation)
					.update();
			}
			ring("l");
			return moved;
		});
	}

	/** Give up every lease this incarnation holds and leave the member list. */
	int leave(String member, UUID incarnation) {
		return this.transactions.execute(status -> {
			int released = this.jdbc
				.sql("UPDATE partition_lease SET owner = NULL, incarnation = NULL, epoch = epoch + 1, expires_at = NULL"
						+ " WHERE owner = :member AND incarnation = :inc")
				.param("member", member)
				.param("inc", incarnation)
				.update();
			this.jdbc.sql("DELETE FROM cluster_member WHERE member_id = :member AND incarnation = :inc")
				.param("member", member)
				.param("inc", incarnation)
				.update();
			ring("l");
			return released;
		});
	}

	/**
	 * The fencing check of a publication, inside its transaction: bump the partition's
	 * high-water mark by {@code count} only while this incarnation holds it at this
	 * epoch.
	 * @return the new high-water mark, or -1 when fenced (the partition moved on)
	 */
	long bump(String member, UUID incarnation, int partition, long epoch, int count) {
		return this.jdbc
			.sql("UPDATE partition_lease SET hw = hw + :n WHERE p = :p AND owner = :member AND incarnation = :inc"
					+ " AND epoch = :epoch RETURNING hw")
			.param("n", count)
			.param("p", partition)
			.param("member", member)
			.param("inc", incarnation)
			.param("epoch", epoch)
			.query(Long.class)
			.optional()
			.orElse(-1L);
	}

	/** Ring the doorbell: every replica's listener reads at once. Sent at commit. */
	void ring(String what) {
		this.jdbc.sql("SELECT pg_notify('pulse', :what)").param("what", what).query().listOfRows();
	}

	private static String array(Collection<Integer> partitions) {
		return array(partitions.stream().mapToLong(Integer::longValue));
	}

	/** A PostgreSQL array literal ({@code {1,2}}), bound as text and cast in the SQL. */
	static String array(LongStream values) {
		return values.mapToObj(String::valueOf).collect(Collectors.joining(",", "{", "}"));
	}

	private static Lease lease(ResultSet row, int number) throws SQLException {
		return new Lease(row.getInt("p"), row.getLong("epoch"), row.getLong("hw"), row.getLong("acquired_ago_ms"));
	}

	/**
	 * Run the work in one transaction of the cluster's pool; every method above called
	 * inside joins it.
	 */
	void inTransaction(Runnable work) {
		this.transactions.executeWithoutResult(status -> work.run());
	}

	/**
	 * Start the current transaction's clock: PostgreSQL's {@code now()} is the time of a
	 * transaction's first statement, so a hand-over that runs this before it stops
	 * probing stamps {@code acquired_at} no later than the moment probing stopped.
	 */
	void beginClock() {
		this.jdbc.sql("SELECT now()").query().listOfRows();
	}

	/**
	 * A lease this member holds.
	 *
	 * @param partition the partition
	 * @param epoch its epoch
	 * @param hw the high-water mark of its health rows
	 * @param acquiredAgoMillis since it changed owner last, on the database's clock: for
	 * a partition pushed here, how long ago its previous owner stopped probing it
	 */
	record Lease(int partition, long epoch, long hw, long acquiredAgoMillis) {
	}

	/** A member row; alive while its heartbeat is younger than a lease. */
	record Member(String id, UUID incarnation, @Nullable String address, boolean ready, boolean leaving,
			long heartbeatAgeMillis) {
	}

	/**
	 * A partition's lease as stored; {@code expiresInMillis} is negative once expired,
	 * {@link Long#MIN_VALUE} when never leased.
	 */
	record LeaseRow(int partition, @Nullable String owner, @Nullable UUID incarnation, long epoch, long hw,
			long expiresInMillis) {
	}

}
