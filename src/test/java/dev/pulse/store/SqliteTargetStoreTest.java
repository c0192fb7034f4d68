package dev.pulse.store;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/** {@link TargetStoreTest} on SQLite, in a temporary file. */
class SqliteTargetStoreTest extends TargetStoreTest {

	@TempDir
	Path directory;

	@Override
	String url() {
		return TestDatabases.sqliteUrl(this.directory.resolve("pulse.db"));
	}

}
