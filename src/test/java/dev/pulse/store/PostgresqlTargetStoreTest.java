package dev.pulse.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link TargetStoreTest} on the PostgreSQL server that {@code PULSE_TEST_POSTGRES_URL}
 * names ({@code .ci/postgres.sh} starts one and sets it); skipped, with the reason, when
 * it is not set.
 */
class PostgresqlTargetStoreTest extends TargetStoreTest {

	@Override
	String url() {
		String url = System.getenv(TestDatabases.POSTGRES_URL_VARIABLE);
		assumeTrue(url != null && !url.isBlank(), TestDatabases.POSTGRES_URL_VARIABLE
				+ " is not set, so the PostgreSQL store tests are skipped (.ci/postgres.sh starts a server and sets it)");
		return url;
	}

}
