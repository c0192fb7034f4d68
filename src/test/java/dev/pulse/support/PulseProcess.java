package dev.pulse.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One real Pulse JVM started by {@link PulseLauncher}. A reader thread copies its output
 * to a log file and notes when each start-up {@link Phase} began, so a test can kill the
 * process at a chosen phase and say afterwards which phase a kill landed in.
 */
public final class PulseProcess implements AutoCloseable {

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	/** Start-up phases, in order, each recognised by a line Pulse logs when it begins. */
	public enum Phase {

		/** JVM and Spring start-up, before the store is touched. */
		STARTING,

		/** Flyway has connected and is checking or migrating the schema. */
		FLYWAY(": Database: "),

		/**
		 * Flyway is changing the schema (history table, schema or a migration), not only
		 * checking it.
		 */
		MIGRATING("Creating schema ", "Creating Schema History table", "Migrating schema "),

		/** The schema is at the latest version; registrations load, Tomcat starts. */
		MIGRATED("Successfully applied ", "is up to date. No migration necessary"),

		/** Tomcat listens: the API answers, readiness may not yet be UP. */
		LISTENING("Tomcat started on port ");

		private final List<String> markers;

		Phase(String... markers) {
			this.markers = List.of(markers);
		}

	}

	private final Process process;

	private final Path log;

	private final long startNanos = System.nanoTime();

	private final Map<Phase, Long> phases = new EnumMap<>(Phase.class);

	private int port;

	private Thread reader;

	private PulseProcess(Process process, Path log) {
		this.process = process;
		this.log = log;
		this.phases.put(Phase.STARTING, this.startNanos);
	}

	static PulseProcess start(List<String> command, Path log) throws IOException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		PulseProcess pulse = new PulseProcess(process, log);
		pulse.reader = new Thread(pulse::copyOutput, "pulse-output-" + process.pid());
		pulse.reader.setDaemon(true);
		pulse.reader.start();
		return pulse;
	}

	private void copyOutput() {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				Writer out = Files.newBufferedWriter(this.log)) {
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				out.write(line);
				out.write('\n');
				out.flush();
				observe(line);
			}
		}
		catch (IOException ex) {
			// The process is gone; its output ends here.
		}
	}

	private synchronized void observe(String line) {
		for (Phase phase : Phase.values()) {
			if (!this.phases.containsKey(phase) && phase.markers.stream().anyMatch(line::contains)) {
				this.phases.put(phase, System.nanoTime());
			}
		}
		Matcher port = PORT.matcher(line);
		if (port.find() && this.port == 0) {
			this.port = Integer.parseInt(port.group(1));
		}
		notifyAll();
	}

	/** The latest phase reached. */
	public synchronized Phase phase() {
		Phase latest = Phase.STARTING;
		for (Phase phase : this.phases.keySet()) {
			latest = (phase.ordinal() > latest.ordinal()) ? phase : latest;
		}
		return latest;
	}

	/** Whether the process logged the start of this phase. */
	public synchronized boolean reached(Phase phase) {
		return this.phases.containsKey(phase);
	}

	/**
	 * Wait until the process enters a phase.
	 * @return false if the process exited or the deadline passed first
	 */
	public synchronized boolean awaitPhase(Phase phase, Duration deadline) throws InterruptedException {
		long end = System.nanoTime() + deadline.toNanos();
		while (!this.phases.containsKey(phase)) {
			long left = end - System.nanoTime();
			if (left <= 0 || !this.process.isAlive()) {
				return this.phases.containsKey(phase);
			}
			wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 50)));
		}
		return true;
	}

	/** The HTTP port, or 0 before Tomcat listens. */
	public synchronized int port() {
		return this.port;
	}

	/** Milliseconds since the process was started. */
	public long elapsedMillis() {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.startNanos);
	}

	/**
	 * CPU time the process has used so far (user and system, from
	 * {@code /proc/<pid>/stat}), or -1 where that is unavailable: a load-independent
	 * cost.
	 */
	public long cpuMillis() {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(this.process.pid()), "stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// utime and stime, fields 14 and 15, in clock ticks (USER_HZ, 100 on Linux).
			return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** SIGKILL, then wait (bounded) until the process is gone. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Pulse " + this.process.pid() + " outlived SIGKILL by 10 s");
		}
		this.reader.join(5000);
	}

	/**
	 * SIGTERM, then wait up to {@code deadline} for the process to exit.
	 * @return the exit code, or -1 if it was still running at the deadline (it is then
	 * killed)
	 */
	public int terminate(Duration deadline) throws InterruptedException {
		// SIGTERM through the handle: Process.destroy() sends the same signal but also
		// closes our end of the output pipe, so the shutdown's own log lines were lost.
		this.process.toHandle().destroy();
		if (this.process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
			// The last lines, the shutdown's own, may still be in the pipe.
			this.reader.join(5000);
			return this.process.exitValue();
		}
		kill();
		return -1;
	}

	/** The log so far. */
	public String log() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The last lines of the log, for a failure message. */
	public String logTail(int lines) {
		List<String> all = log().lines().toList();
		return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

}
