package dev.pulse.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Creates the folder of an SQLite database file before anything connects, since SQLite
 * creates the file but not its folder ({@code ./data/} on a first run).
 */
class SqliteDirectoryCreator implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		String url = event.getEnvironment().getProperty("spring.datasource.url");
		Path file = sqliteFile(url);
		if (file != null && file.getParent() != null) {
			try {
				Files.createDirectories(file.getParent());
			}
			catch (IOException ex) {
				throw new IllegalStateException("Cannot create the folder of the store " + file + ": " + ex, ex);
			}
		}
	}

	/**
	 * The file of a {@code jdbc:sqlite:} URL, or null for anything else (memory,
	 * PostgreSQL).
	 */
	static Path sqliteFile(String url) {
		if (url == null || !url.startsWith("jdbc:sqlite:")) {
			return null;
		}
		String path = url.substring("jdbc:sqlite:".length());
		int query = path.indexOf('?');
		path = (query >= 0) ? path.substring(0, query) : path;
		if (path.isEmpty() || path.startsWith(":memory:") || path.startsWith("file::memory:")) {
			return null;
		}
		return Path.of(path.startsWith("file:") ? path.substring("file:".length()) : path);
	}

}
