package dev.pulse.store;

import org.flywaydb.core.Flyway;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.stereotype.Component;

/**
 * Runs the Flyway migrations at start-up as Spring Boot would, but names the store when
 * it cannot be opened or migrated (a corrupt SQLite file, an unreachable PostgreSQL), so
 * the failed start-up says which database to look at. Start-up still fails: Pulse never
 * runs without the registrations it has acknowledged.
 */
@Component
class StoreMigration implements FlywayMigrationStrategy {

	private final String store;

	StoreMigration(@Value("${spring.flyway.url:${spring.datasource.url:}}") String url) {
		this.store = describe(url);
	}

	@Override
	public void migrate(Flyway flyway) {
		try {
			flyway.migrate();
		}
		catch (RuntimeException ex) {
			throw new StoreUnavailableException("Cannot open or migrate the store " + this.store + ": "
					+ NestedExceptionUtils.getMostSpecificCause(ex).getMessage()
					+ "; Pulse does not start without its registered targets", ex);
		}
	}

	/**
	 * The URL without its query, which holds SQLite pragmas or a PostgreSQL password.
	 */
	static String describe(String url) {
		if (url.isBlank()) {
			return "(the configured DataSource)";
		}
		int query = url.indexOf('?');
		return (query >= 0) ? url.substring(0, query) : url;
	}

}
