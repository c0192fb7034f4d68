package dev.pulse.cluster;

import java.sql.Connection;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ScriptUtils;
import org.springframework.stereotype.Component;

/**
 * Migration 3: the cluster's tables, in PostgreSQL only (SQLite runs one replica). A Java
 * migration rather than a per-vendor SQL location, because a location with
 * {@code {vendor}} makes Flyway open a connection when its bean is created, before
 * {@code StoreMigration} can name an unreachable store; this one looks at the database
 * only when it runs. On SQLite it is recorded as applied and does nothing.
 */
@Component
class ClusterTablesMigration implements JavaMigration {

	static final String SCRIPT = "db/cluster/postgresql.sql";

	@Override
	public MigrationVersion getVersion() {
		return MigrationVersion.fromVersion("3");
	}

	@Override
	public String getDescription() {
		return "cluster";
	}

	@Override
	public @Nullable Integer getChecksum() {
		return null;
	}

	@Override
	public boolean canExecuteInTransaction() {
		return true;
	}

	@Override
	public void migrate(Context context) throws Exception {
		Connection connection = context.getConnection();
		if ("PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
			ScriptUtils.executeSqlScript(connection, new ClassPathResource(SCRIPT));
		}
	}

}
