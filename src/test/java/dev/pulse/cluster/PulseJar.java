package dev.pulse.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The packaged jar, ready to start many times: extracted with the {@code tools} jar mode
 * (CDS refuses nested jars) and, once, started for training with
 * {@code -XX:ArchiveClassesAtExit} and {@code spring.context.exit=onRefresh}, so every
 * replica maps the classes that start-up loads from one dynamic CDS archive, as Spring
 * Boot's CDS documentation describes. A replica then reaches ready in roughly half the
 * CPU time, which matters on 2 cores with dozens of restarts. If extraction or training
 * fails, replicas start from the packaged jar as it is (slower, same behaviour) and the
 * reason is printed.
 */
final class PulseJar {

	/** Small JVMs: 3-4 replicas and the test JVM share 2 cores. */
	static final List<String> JVM = List.of("-Xmx200m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
			"-XX:ActiveProcessorCount=1", "-Xlog:cds=off", "-Xlog:cds+dynamic=off");

	private final List<String> prefix;

	private final String description;

	private PulseJar(List<String> prefix, String description) {
		this.prefix = List.copyOf(prefix);
		this.description = description;
	}

	/**
	 * Extract and train.
	 * @param packaged the jar failsafe names in {@code pulse.jar}
	 * @param work a folder of this run's
	 * @param trainingArgs Spring arguments of the training start (a store of its own)
	 */
	static PulseJar prepare(Path packaged, Path work, List<String> trainingArgs)
			throws IOException, InterruptedException {
		Path extracted = work.resolve("app");
		int exit = run(List.of(java(), "-Djarmode=tools", "-jar", packaged.toString(), "extract", "--destination",
				extracted.toString()), work.resolve("extract.log"));
		Path jar = extracted.resolve(packaged.getFileName());
		if (exit != 0 || !Files.isRegularFile(jar)) {
			return plain(packaged, "extraction failed (exit " + exit + ", see " + work.resolve("extract.log") + ")");
		}
		Path archive = work.resolve("pulse.jsa");
		List<String> training = new ArrayList<>();
		training.add(java());
		training.addAll(JVM);
		training.add("-XX:ArchiveClassesAtExit=" + archive);
		training.add("-Dspring.context.exit=onRefresh");
		training.add("-jar");
		training.add(jar.toString());
		training.addAll(trainingArgs);
		long start = System.nanoTime();
		exit = run(training, work.resolve("training.log"));
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
		List<String> prefix = new ArrayList<>();
		prefix.add(java());
		prefix.addAll(JVM);
		if (exit != 0 || !Files.isRegularFile(archive)) {
			prefix.addAll(List.of("-jar", jar.toString()));
			return new PulseJar(prefix, "extracted, no CDS archive: training exited " + exit + " after " + millis
					+ " ms (see " + work.resolve("training.log") + ")");
		}
		prefix.add("-XX:SharedArchiveFile=" + archive);
		prefix.addAll(List.of("-jar", jar.toString()));
		return new PulseJar(prefix, "extracted, CDS archive trained in " + millis + " ms");
	}

	/** The packaged jar as it is, without CDS. */
	static PulseJar plain(Path packaged, String why) {
		List<String> prefix = new ArrayList<>();
		prefix.add(java());
		prefix.addAll(JVM);
		prefix.addAll(List.of("-jar", packaged.toString()));
		return new PulseJar(prefix, "the packaged jar as it is: " + why);
	}

	/** The command line of a start with these Spring arguments. */
	List<String> command(List<String> args) {
		List<String> command = new ArrayList<>(this.prefix);
		command.addAll(args);
		return command;
	}

	String description() {
		return this.description;
	}

	/** The jar failsafe set in {@code pulse.jar}, or the only one in target/. */
	static Path packaged() throws IOException {
		String property = System.getProperty("pulse.jar");
		if (property != null && !property.isBlank()) {
			return Path.of(property).toAbsolutePath();
		}
		try (Stream<Path> candidates = Files.list(Path.of("target"))) {
			return candidates.filter((path) -> path.getFileName().toString().matches("pulse-.*\\.jar"))
				.findFirst()
				.orElseThrow(() -> new IOException("no pulse.jar property and no target/pulse-*.jar: package first"))
				.toAbsolutePath();
		}
	}

	private static int run(List<String> command, Path log) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			return -1;
		}
		return process.exitValue();
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
