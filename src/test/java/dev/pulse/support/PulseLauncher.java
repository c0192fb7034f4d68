package dev.pulse.support;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import dev.pulse.PulseApplication;

/**
 * Starts real Pulse processes ({@link PulseProcess}) from the test class path, for tests
 * that kill or stop the JVM itself.
 * <p>
 * {@link #fast(Path)} pays once for a cheaper start of every later process: Pulse's
 * classes go into a jar and a training start writes a dynamic CDS archive of every class
 * that start loads (JDK 17: {@code -XX:ArchiveClassesAtExit} with Spring's
 * {@code spring.context.exit=onRefresh}; CDS refuses class folders, hence the jar). With
 * C1 only ({@code -XX:TieredStopAtLevel=1}) and the serial collector this roughly halves
 * the time to ready on 2 cores (about 3.4 s to 2 s when measured). Nothing the store sees
 * changes: same classes, same configuration, same store URL.
 */
public final class PulseLauncher {

	/** Log levels that make the start-up phases visible to {@link PulseProcess}. */
	static final List<String> LOGGING = List.of("--logging.level.root=WARN", "--logging.level.org.flywaydb.core=INFO",
			"--logging.level.org.springframework.boot=INFO");

	private final List<String> jvm;

	private PulseLauncher(List<String> jvm) {
		this.jvm = List.copyOf(jvm);
	}

	/** The test class path as it is, C1 only: no set-up cost, a slower start. */
	public static PulseLauncher plain() {
		return new PulseLauncher(
				List.of(java(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path")));
	}

	/**
	 * A launcher whose processes start from a CDS archive trained here, in {@code work}.
	 * If the training start fails, processes start without the archive (slower, same
	 * behaviour) and the reason is printed.
	 */
	public static PulseLauncher fast(Path work) throws IOException, InterruptedException {
		Files.createDirectories(work);
		List<String> classPath = new ArrayList<>();
		classPath.add(jarOfClasses(work.resolve("pulse-classes.jar")).toString());
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			if (entry.endsWith(".jar")) {
				classPath.add(entry);
			}
		}
		List<String> base = List.of(java(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xlog:cds=off",
				"-Xlog:cds+dynamic=off", "-cp", String.join(File.pathSeparator, classPath));
		Path archive = work.resolve("pulse.jsa");
		List<String> training = new ArrayList<>(base);
		training.add(1, "-XX:ArchiveClassesAtExit=" + archive);
		training.addAll(List.of("-Dspring.context.exit=onRefresh", PulseApplication.class.getName(), "--server.port=0",
				"--spring.profiles.active=crash", "--pulse.api.write-token=training",
				"--spring.datasource.url=jdbc:sqlite:" + work.resolve("training.db"), "--logging.level.root=WARN"));
		Process process = new ProcessBuilder(training).redirectErrorStream(true)
			.redirectOutput(work.resolve("training.log").toFile())
			.start();
		boolean exited = process.waitFor(Duration.ofSeconds(120).toMillis(), TimeUnit.MILLISECONDS);
		if (!exited) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		if (!exited || process.exitValue() != 0 || !Files.isRegularFile(archive)) {
			System.out.println("CDS training failed (" + (exited ? "exit " + process.exitValue() : "timed out")
					+ "); starting Pulse without an archive");
			return new PulseLauncher(base);
		}
		List<String> jvm = new ArrayList<>(base);
		jvm.add(1, "-XX:SharedArchiveFile=" + archive);
		return new PulseLauncher(jvm);
	}

	/**
	 * Start Pulse on a port of its own choosing, logging to {@code log}.
	 * @param log the file that receives the process's output
	 * @param args Spring arguments ({@code --key=value}); the phase log levels are added
	 */
	public PulseProcess start(Path log, List<String> args) throws IOException {
		List<String> command = new ArrayList<>(this.jvm);
		command.add(PulseApplication.class.getName());
		command.add("--server.port=0");
		command.addAll(LOGGING);
		command.addAll(args);
		return PulseProcess.start(command, log);
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/** Pulse's compiled classes and resources as one jar, which CDS accepts. */
	private static Path jarOfClasses(Path jar) throws IOException {
		Path classes;
		try {
			classes = Path.of(PulseApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IOException(ex);
		}
		if (!Files.isDirectory(classes)) {
			return classes;
		}
		try (OutputStream out = Files.newOutputStream(jar);
				JarOutputStream jarOut = new JarOutputStream(out);
				Stream<Path> files = Files.walk(classes)) {
			for (Path file : (Iterable<Path>) files.filter(path -> !path.equals(classes)).sorted()::iterator) {
				String name = classes.relativize(file).toString().replace(File.separatorChar, '/');
				// Folder entries too: Spring's component scan lists packages through
				// them.
				boolean folder = Files.isDirectory(file);
				jarOut.putNextEntry(new JarEntry(folder ? name + "/" : name));
				if (!folder) {
					Files.copy(file, jarOut);
				}
				jarOut.closeEntry();
			}
		}
		return jar;
	}

}
