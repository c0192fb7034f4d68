package dev.pulse.cluster;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL store of ClusterIT's own, made fresh for one run so no run sees another's
 * members or leases: a database of its own when the role may create one
 * ({@code .ci/postgres.sh} grants {@code CREATEDB}), else a schema of its own in the
 * given database, as RegistrationCrashTest's stores are. A schema isolates the tables but
 * not what PostgreSQL scopes to a database (advisory locks, {@code LISTEN} channels), so
 * the database is preferred, and which one it got is printed.
 */
final class ClusterDatabase implements AutoCloseable {

	private final String baseUrl;

	private final String host;

	private final int port;

	private final String database;

	private final @Nullable String schema;

	private final String query;

	private ClusterDatabase(String baseUrl, String host, int port, String database, @Nullable String schema,
			String query) {
		this.baseUrl = baseUrl;
		this.host = host;
		this.port = port;
		this.database = database;
		this.schema = schema;
		this.query = query;
	}

	/**
	 * Create the store.
	 * @param baseUrl {@code PULSE_TEST_POSTGRES_URL}, such as
	 * {@code jdbc:postgresql://127.0.0.1:5432/pulse_test?user=pulse&password=pulse}
	 * @param name a name unique to the run: lower case letters, digits and underscores
	 */
	static ClusterDatabase create(String baseUrl, String name) throws SQLException {
		URI uri = URI.create(baseUrl.substring("jdbc:".length()));
		String query = (uri.getRawQuery() != null) ? uri.getRawQuery() : "";
		String base = uri.getPath().substring(1);
		int port = (uri.getPort() > 0) ? uri.getPort() : 5432;
		try (Connection connection = DriverManager.getConnection(baseUrl);
				Statement statement = connection.createStatement()) {
			try {
				statement.execute("CREATE DATABASE " + name);
				System.out.println("ClusterIT: PostgreSQL database " + name + " created for this run");
				return new ClusterDatabase(baseUrl, uri.getHost(), port, name, null, query);
			}
			catch (SQLException ex) {
				if (!"42501".equals(ex.getSQLState())) {
					throw ex;
				}
				statement.execute("CREATE SCHEMA " + name);
				System.out.println("ClusterIT: the role may not create databases (" + ex.getMessage().strip()
						+ "); schema " + name + " in " + base
						+ " created for this run instead (advisory locks and LISTEN channels are shared with that database)");
				return new ClusterDatabase(baseUrl, uri.getHost(), port, base, name, query);
			}
		}
	}

	String host() {
		return this.host;
	}

	int port() {
		return this.port;
	}

	/**
	 * Where the store is, for the report: {@code database} or {@code database.schema}.
	 */
	String description() {
		return (this.schema != null) ? this.database + "." + this.schema : this.database;
	}

	/** The JDBC URL of the store through a proxy listening on loopback at this port. */
	String url(int proxyPort) {
		StringBuilder url = new StringBuilder("jdbc:postgresql://127.0.0.1:").append(proxyPort)
			.append('/')
			.append(this.database);
		List<String> parameters = new ArrayList<>();
		if (!this.query.isEmpty()) {
			parameters.add(this.query);
		}
		if (this.schema != null) {
			parameters.add("currentSchema=" + this.schema);
		}
		if (!parameters.isEmpty()) {
			url.append('?').append(String.join("&", parameters));
		}
		return url.toString();
	}

	/** Pulse's arguments for this store through a proxy at {@code proxyPort}. */
	List<String> arguments(int proxyPort) {
		List<String> arguments = new ArrayList<>();
		arguments.add("--spring.datasource.url=" + url(proxyPort));
		if (this.schema != null) {
			arguments.add("--spring.flyway.schemas=" + this.schema);
		}
		return arguments;
	}

	@Override
	public void close() throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.baseUrl);
				Statement statement = connection.createStatement()) {
			if (this.schema != null) {
				statement.execute("DROP SCHEMA IF EXISTS " + this.schema + " CASCADE");
			}
			else {
				statement.execute("DROP DATABASE IF EXISTS " + this.database + " WITH (FORCE)");
			}
		}
	}

}
