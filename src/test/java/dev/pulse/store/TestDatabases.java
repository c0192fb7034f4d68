package dev.pulse.store;

import java.nio.file.Path;
import java.time.Clock;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Databases for the store tests, built by hand (no Spring context): a pool, the Flyway
 * migrations Pulse runs at start-up, and a {@link TargetStore} over them.
 */
final class TestDatabases {

	/** Set by {@code .ci/postgres.sh} when a PostgreSQL server is running. */
	static final String POSTGRES_URL_VARIABLE = "PULSE_TEST_POSTGRES_URL";

	private TestDatabases() {
	}

	/** The URL of an SQLite file, with the pragmas of {@code application.yaml}. */
	static String sqliteUrl(Path file) {
		return "jdbc:sqlite:" + file + "?journal_mode=WAL&synchronous=FULL&busy_timeout=5000&foreign_keys=true";
	}

	/** A pool of several connections, so concurrent writers really are concurrent. */
	static HikariDataSource open(String url) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl(url);
		dataSource.setMaximumPoolSize(4);
		return dataSource;
	}

	static void migrate(DataSource dataSource) {
		Flyway.configure().dataSource(dataSource).load().migrate();
	}

	static TargetStore store(DataSource dataSource, Clock clock) {
		return new TargetStore(dataSource, new DataSourceTransactionManager(dataSource), clock);
	}

}
