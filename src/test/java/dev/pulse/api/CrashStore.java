package dev.pulse.api;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.ValidateResult;

import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.pulse.store.Registration;
import dev.pulse.store.TargetStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a crash loop keeps its registrations: a fresh store per epoch (an SQLite file, or
 * a PostgreSQL schema), so every epoch starts with an empty schema and its first starts
 * run the Flyway migrations, which the loop then kills.
 */
abstract class CrashStore {

	private final String name;

	CrashStore(String name) {
		this.name = name;
	}

	String name() {
		return this.name;
	}

	/** The {@code spring.datasource.url} of an epoch's store. */
	abstract String url(int epoch);

	/** Further Spring arguments for an epoch (none, or the PostgreSQL schema). */
	List<String> arguments(int epoch) {
		return List.of("--spring.datasource.url=" + url(epoch));
	}

	/** Flyway, as Pulse configures it, on an epoch's store. */
	abstract Flyway flyway(int epoch);

	/** Database-specific checks of the raw store (SQLite's integrity check). */
	void checkIntegrity(int epoch) throws Exception {
	}

	void dropAll() throws Exception {
	}

	/**
	 * After the last kill of an epoch, read the store directly, as the next start would:
	 * the schema is fully migrated with every migration successful, each row reads back
	 * as a target, and every acknowledged registration is there.
	 * @return the number of rows read
	 */
	int verify(int epoch, Set<String> acknowledged) throws Exception {
		checkIntegrity(epoch);
		ValidateResult validation = flyway(epoch).validateWithResult();
		assertThat(validation.validationSuccessful)
			.as("%s epoch %d: Flyway validation: %s", this.name, epoch, validation.getAllErrorMessages())
			.isTrue();
		assertThat(flyway(epoch).info().pending()).as("%s epoch %d: pending migrations", this.name, epoch).isEmpty();
		DriverManagerDataSource dataSource = new DriverManagerDataSource(url(epoch));
		List<Registration> rows = new TargetStore(dataSource, new DataSourceTransactionManager(dataSource)).findAll();
		Set<String> names = new TreeSet<>();
		rows.forEach(row -> names.add(row.name()));
		assertThat(names).as("%s epoch %d: rows in the store", this.name, epoch).containsAll(acknowledged);
		return rows.size();
	}

	static CrashStore sqlite(Path directory) {
		return new CrashStore("sqlite") {

			@Override
			String url(int epoch) {
				return "jdbc:sqlite:" + directory.resolve("epoch-" + epoch + ".db")
						+ "?journal_mode=WAL&synchronous=FULL&busy_timeout=5000&foreign_keys=true";
			}

			@Override
			Flyway flyway(int epoch) {
				return Flyway.configure().dataSource(url(epoch), null, null).load();
			}

			@Override
			void checkIntegrity(int epoch) throws Exception {
				try (Connection connection = DriverManager.getConnection(url(epoch));
						Statement statement = connection.createStatement();
						ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
					List<String> problems = new ArrayList<>();
					while (result.next()) {
						problems.add(result.getString(1));
					}
					assertThat(problems).as("sqlite epoch %d: PRAGMA integrity_check", epoch).containsExactly("ok");
				}
			}

		};
	}

	/**
	 * One schema per epoch in the given database, named after the run so that runs never
	 * share one; Flyway creates it, as Pulse would create its tables in an empty
	 * database.
	 */
	static CrashStore postgresql(String baseUrl, String run) {
		return new CrashStore("postgresql") {

			private final Set<String> schemas = new TreeSet<>();

			private String schema(int epoch) {
				String schema = "crash_" + run + "_" + epoch;
				this.schemas.add(schema);
				return schema;
			}

			@Override
			String url(int epoch) {
				return baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema(epoch);
			}

			@Override
			List<String> arguments(int epoch) {
				// One process crashing and restarting: the store's durability is what is
				// tested
				// here. Replicas and their kill loops are ClusterIT's.
				return List.of("--spring.datasource.url=" + url(epoch), "--spring.flyway.schemas=" + schema(epoch),
						"--pulse.cluster.enabled=false");
			}

			@Override
			Flyway flyway(int epoch) {
				return Flyway.configure().dataSource(url(epoch), null, null).schemas(schema(epoch)).load();
			}

			@Override
			void dropAll() throws Exception {
				try (Connection connection = DriverManager.getConnection(baseUrl);
						Statement statement = connection.createStatement()) {
					for (String schema : this.schemas) {
						statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
					}
				}
			}

		};
	}

}
