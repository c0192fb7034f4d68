package dev.pulse.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Applies {@code pulse.targets-file} again when its content changes. It compares a digest
 * of the bytes, not the modification time: a ConfigMap volume swaps a symlink, and an
 * editor may keep the time. A file that stops parsing or validating is reported once per
 * change and leaves the running targets as they were.
 */
@Component
class TargetsFileWatcher implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(TargetsFileWatcher.class);

	private final TargetRegistry registry;

	private final TargetsFileProperties properties;

	private ScheduledExecutorService executor;

	private byte[] digest;

	TargetsFileWatcher(TargetRegistry registry, TargetsFileProperties properties) {
		this.registry = registry;
		this.properties = properties;
	}

	@Override
	public synchronized void start() {
		if (this.properties.targetsFile() == null) {
			return;
		}
		Path file = Path.of(this.properties.targetsFile());
		this.digest = digest(file);
		this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
			Thread thread = new Thread(task, "pulse-targets-file");
			thread.setDaemon(true);
			return thread;
		});
		long every = this.properties.targetsFilePollInterval().toMillis();
		this.executor.scheduleWithFixedDelay(() -> check(file), every, every, TimeUnit.MILLISECONDS);
	}

	/** Reload when the content changed; never throws, so the schedule goes on. */
	void check(Path file) {
		try {
			byte[] now = digest(file);
			if (now == null || Arrays.equals(now, this.digest)) {
				return;
			}
			this.digest = now;
			List<InvalidTargetException.Violation> violations = this.registry.reloadTargetsFile();
			if (!violations.isEmpty()) {
				logger.error("{} changed but is not applied; the running targets stay as they were. {} problem(s):{}",
						file, violations.size(),
						violations.stream()
							.map(violation -> System.lineSeparator() + "  - " + violation.field() + ": "
									+ violation.message())
							.reduce("", String::concat));
			}
		}
		catch (RuntimeException ex) {
			logger.error("Reloading {} failed; the running targets stay as they were", file, ex);
		}
	}

	private static byte[] digest(Path file) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
		}
		catch (IOException ex) {
			// Mid-swap, or gone for a moment: try again at the next check.
			return null;
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.executor.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
