package dev.pulse.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.Assert;

import dev.pulse.target.TargetProperties;

/**
 * The targets registered over the API, one row each in {@code target_registration}, in
 * SQLite or PostgreSQL through plain SQL that both accept.
 * <p>
 * Every write runs in a transaction of its own and returns only once it has committed, so
 * a caller that answers after {@link #save} or {@link #delete} never acknowledges a
 * change that a crash could lose. Writes from this process go one at a time: SQLite
 * allows one writer, and queueing here rather than in SQLite's busy handler means a burst
 * of writes waits its turn instead of failing after {@code busy_timeout}.
 * <p>
 * Every write also stamps the name's row in {@code target_change} with the next version,
 * in the same transaction, so other replicas can apply it ({@link #changesSince}). On
 * PostgreSQL, writers of every replica are serialised by a transaction advisory lock: a
 * version is then never committed after a higher one, and a reader that asks for the
 * versions past the last it saw skips none. The commit rings the {@code pulse} doorbell.
 */
@Repository
public class TargetStore {

	private static final String COLUMNS = "name, definition, created_at, updated_at";

	/** The key of the advisory lock that serialises writers: "pulse.tg" in ASCII. */
	static final long WRITERS_LOCK = 0x70756c73652e7467L;

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final DefinitionCodec codec = new DefinitionCodec();

	private final ReentrantLock writeLock = new ReentrantLock(true);

	private final boolean postgresql;

	/**
	 * Versions this process wrote, while someone tracks them (see
	 * {@link #trackOwnWrites}).
	 */
	private volatile @Nullable Map<String, Long> ownWrites;

	@Autowired
	public TargetStore(DataSource dataSource, PlatformTransactionManager transactionManager) {
		this(dataSource, transactionManager, Clock.systemUTC());
	}

	TargetStore(DataSource dataSource, PlatformTransactionManager transactionManager, Clock clock) {
		this.jdbc = JdbcClient.create(dataSource);
		this.transactions = new TransactionTemplate(transactionManager);
		this.clock = clock;
		this.postgresql = isPostgresql(dataSource);
	}

	private static boolean isPostgresql(DataSource dataSource) {
		try {
			String product = JdbcUtils.extractDatabaseMetaData(dataSource,
					metaData -> metaData.getDatabaseProductName());
			return "PostgreSQL".equalsIgnoreCase(product);
		}
		catch (Exception ex) {
			// Unreachable at construction: the migration has already failed start-up.
			return false;
		}
	}

	/**
	 * Every registration, in name order (the order of {@link String#compareTo}, as the
	 * registry lists targets, whatever the database's collation).
	 * @throws UnreadableRegistrationException if a stored definition does not read back
	 */
	public List<Registration> findAll() {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM target_registration")
			.query(this::registration)
			.list()
			.stream()
			.sorted(Comparator.comparing(Registration::name))
			.toList();
	}

	/**
	 * One registration.
	 * @param name the target's name
	 * @return the registration, or empty if none has this name
	 * @throws UnreadableRegistrationException if its definition does not read back
	 */
	public Optional<Registration> find(String name) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM target_registration WHERE name = :name")
			.param("name", name)
			.query(this::registration)
			.optional();
	}

	/** How many registrations are stored. */
	public int count() {
		return Math.toIntExact(this.jdbc.sql("SELECT COUNT(*) FROM target_registration").query(Long.class).single());
	}

	/**
	 * Insert or replace a registration, and commit. A replacement keeps the original
	 * {@code createdAt}.
	 * @param name the target's name
	 * @param properties the target's properties as accepted
	 * @return true if this created the registration, false if it replaced one
	 * @throws IllegalStateException if called inside a transaction, which would delay the
	 * commit past the return
	 */
	public boolean save(String name, TargetProperties properties) {
		String definition = this.codec.write(properties);
		return write(name, false, () -> upsert(name, definition, this.clock.millis()));
	}

	/**
	 * Delete a registration, and commit.
	 * @param name the target's name
	 * @return true if it existed
	 * @throws IllegalStateException if called inside a transaction, which would delay the
	 * commit past the return
	 */
	public boolean delete(String name) {
		return write(name, true,
				() -> this.jdbc.sql("DELETE FROM target_registration WHERE name = :name")
					.param("name", name)
					.update() == 1);
	}

	private boolean write(String name, boolean deleted, Supplier<Boolean> statements) {
		Assert.state(!TransactionSynchronizationManager.isActualTransactionActive(),
				"The store commits its own writes; call it outside any transaction");
		this.writeLock.lock();
		try {
			return Boolean.TRUE.equals(this.transactions.execute(status -> {
				if (this.postgresql) {
					// Held to the commit: writers of every replica take turns.
					this.jdbc.sql("SELECT pg_advisory_xact_lock(" + WRITERS_LOCK + ")").query().listOfRows();
				}
				boolean result = statements.get();
				stampChange(name, deleted);
				if (this.postgresql) {
					this.jdbc.sql("SELECT pg_notify('pulse', 't')").query().listOfRows();
				}
				Map<String, Long> own = this.ownWrites;
				if (own != null) {
					// Read back only for a reader that tracks this process's writes.
					own.put(name,
							this.jdbc.sql("SELECT version FROM target_change WHERE name = :name")
								.param("name", name)
								.query(Long.class)
								.single());
				}
				return result;
			}));
		}
		finally {
			this.writeLock.unlock();
		}
	}

	/**
	 * After the registration's own statement, so SQLite's transaction writes before it
	 * reads (see {@link #upsert}).
	 */
	private void stampChange(String name, boolean deleted) {
		this.jdbc
			.sql("INSERT INTO target_change (name, version, deleted, changed_at)"
					+ " SELECT :name, COALESCE(MAX(version), 0) + 1, :deleted, :now FROM target_change WHERE TRUE"
					+ " ON CONFLICT (name) DO UPDATE SET version = excluded.version, deleted = excluded.deleted,"
					+ " changed_at = excluded.changed_at")
			.param("name", name)
			.param("deleted", deleted ? 1 : 0)
			.param("now", this.clock.millis())
			.update();
	}

	/** The highest version written so far; 0 for none. */
	public long changeVersion() {
		return this.jdbc.sql("SELECT COALESCE(MAX(version), 0) FROM target_change").query(Long.class).single();
	}

	/**
	 * The names changed past a version, oldest change first, each with its definition
	 * (null when the change deleted it), at most {@code limit} of them.
	 */
	public List<Change> changesSince(long version, int limit) {
		return this.jdbc
			.sql("SELECT c.name, c.version, c.deleted, r.definition, r.created_at, r.updated_at FROM target_change c"
					+ " LEFT JOIN target_registration r ON r.name = c.name WHERE c.version > :version"
					+ " ORDER BY c.version LIMIT :limit")
			.param("version", version)
			.param("limit", limit)
			.query((row, number) -> {
				String name = row.getString("name");
				String definition = row.getString("definition");
				Registration registration = (row.getInt("deleted") != 0 || definition == null) ? null
						: new Registration(name, this.codec.read(name, definition),
								Instant.ofEpochMilli(row.getLong("created_at")),
								Instant.ofEpochMilli(row.getLong("updated_at")));
				return new Change(name, row.getLong("version"), registration);
			})
			.list();
	}

	/**
	 * Remember the version of every write this process makes from now on, so a reader of
	 * {@link #changesSince} can tell its own writes (already applied) from other
	 * replicas'. {@link #ownWrite} hands each back once.
	 */
	public void trackOwnWrites() {
		if (this.ownWrites == null) {
			this.ownWrites = new ConcurrentHashMap<>();
		}
	}

	/**
	 * Whether this process wrote the change, forgetting it.
	 */
	public boolean ownWrite(Change change) {
		Map<String, Long> own = this.ownWrites;
		return own != null && own.remove(change.name(), change.version());
	}

	/**
	 * One change of a registration.
	 *
	 * @param name the target's name
	 * @param version its version, in commit order
	 * @param registration the registration as it now is, or null when deleted
	 */
	public record Change(String name, long version, @Nullable Registration registration) {
	}

	/**
	 * Writes before reading anything: a SQLite transaction that has read cannot wait for
	 * the write lock (SQLITE_BUSY_SNAPSHOT), and on PostgreSQL {@code DO NOTHING} waits
	 * for a concurrent insert of the same name instead of failing on the key.
	 */
	private boolean upsert(String name, String definition, long now) {
		// A second round only if another instance deleted the row between the statements.
		for (int round = 0; round < 2; round++) {
			int inserted = this.jdbc
				.sql("INSERT INTO target_registration (" + COLUMNS + ") VALUES (:name, :definition, :now, :now)"
						+ " ON CONFLICT (name) DO NOTHING")
				.param("name", name)
				.param("definition", definition)
				.param("now", now)
				.update();
			if (inserted == 1) {
				return true;
			}
			int updated = this.jdbc
				.sql("UPDATE target_registration SET definition = :definition, updated_at = :now WHERE name = :name")
				.param("name", name)
				.param("definition", definition)
				.param("now", now)
				.update();
			if (updated == 1) {
				return false;
			}
		}
		throw new IllegalStateException("Registration '" + name + "' kept being deleted while it was saved");
	}

	private Registration registration(ResultSet row, int rowNumber) throws SQLException {
		String name = row.getString("name");
		return new Registration(name, this.codec.read(name, row.getString("definition")),
				Instant.ofEpochMilli(row.getLong("created_at")), Instant.ofEpochMilli(row.getLong("updated_at")));
	}

}
