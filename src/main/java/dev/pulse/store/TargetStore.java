package dev.pulse.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
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
 */
@Repository
public class TargetStore {

	private static final String COLUMNS = "name, definition, created_at, updated_at";

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final DefinitionCodec codec = new DefinitionCodec();

	private final ReentrantLock writeLock = new ReentrantLock(true);

	@Autowired
	public TargetStore(JdbcClient jdbc, PlatformTransactionManager transactionManager) {
		this(jdbc, transactionManager, Clock.systemUTC());
	}

	TargetStore(JdbcClient jdbc, PlatformTransactionManager transactionManager, Clock clock) {
		this.jdbc = jdbc;
		this.transactions = new TransactionTemplate(transactionManager);
		this.clock = clock;
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
		return write(() -> upsert(name, definition, this.clock.millis()));
	}

	/**
	 * Delete a registration, and commit.
	 * @param name the target's name
	 * @return true if it existed
	 * @throws IllegalStateException if called inside a transaction, which would delay the
	 * commit past the return
	 */
	public boolean delete(String name) {
		return write(() -> this.jdbc.sql("DELETE FROM target_registration WHERE name = :name")
			.param("name", name)
			.update() == 1);
	}

	private boolean write(Supplier<Boolean> statements) {
		Assert.state(!TransactionSynchronizationManager.isActualTransactionActive(),
				"The store commits its own writes; call it outside any transaction");
		this.writeLock.lock();
		try {
			return Boolean.TRUE.equals(this.transactions.execute(status -> statements.get()));
		}
		finally {
			this.writeLock.unlock();
		}
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
