package dev.pulse.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Counts this JVM's open file descriptors, so tests can tell whether a client leaks
 * sockets: a connection that is never closed stays visible here long after the test that
 * opened it.
 */
public final class Fds {

	private static final Path FD_DIR = Path.of("/proc/self/fd");

	private Fds() {
	}

	/**
	 * The number of entries in {@code /proc/self/fd}, or {@code -1} where {@code /proc}
	 * is missing (macOS, Windows). The count includes the descriptor used to list the
	 * directory; it is the same on every call, so differences between two calls are
	 * exact.
	 */
	public static int openFileDescriptors() {
		if (!Files.isDirectory(FD_DIR)) {
			return -1;
		}
		try (Stream<Path> entries = Files.list(FD_DIR)) {
			return Math.toIntExact(entries.count());
		}
		catch (IOException e) {
			throw new UncheckedIOException("cannot list " + FD_DIR, e);
		}
	}

}
