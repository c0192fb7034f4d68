package dev.pulse.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Tests of the container image that need no container engine: the packaged jar (the
 * image's contents, {@code pulse.jar}, set by failsafe after {@code package}) and the
 * {@code Dockerfile} that turns it into an image.
 * <ul>
 * <li>the jar splits with the {@code tools} jar mode into exactly the four layers the
 * Dockerfile copies, in the order of {@code BOOT-INF/layers.idx};</li>
 * <li>Pulse starts from those layers, merged into one folder as the runtime stage's
 * {@code COPY}s do, with {@code JarLauncher} and the Dockerfile's
 * {@code JAVA_TOOL_OPTIONS}, as a non-root user, in a read-only working directory, with
 * only a temporary folder and the store's folder writable (the chart's {@code /tmp} and
 * {@code /data}), and answers its liveness and readiness probes;</li>
 * <li>the Dockerfile has two stages, runs as 10001, adds nothing from a URL, copies the
 * layers in order and starts {@code JarLauncher}.</li>
 * </ul>
 * Nothing here builds or runs an image: the Dockerfile itself is only read.
 */
class PackagedJarIT {

	/**
	 * The layers, in the order of the Dockerfile's COPYs (least to most often changed).
	 */
	static final List<String> LAYERS = List.of("dependencies", "spring-boot-loader", "snapshot-dependencies",
			"application");

	static final String LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

	/** The Helm chart's fixed runAsUser and runAsGroup, and the Dockerfile's USER. */
	static final int UID = 10001;

	static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	static Path jar;

	static Path work;

	static Path extracted;

	@BeforeAll
	static void extractTheLayeredJar() throws Exception {
		jar = packagedJar();
		work = Files.createTempDirectory("pulse-image-it");
		extracted = work.resolve("extracted");
		// The build stage's command, word for word (but for the jar's path).
		Result result = run(work, List.of(java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--layers",
				"--launcher", "--destination", extracted.toString()));
		assertThat(result.exit()).as("extract exit status; output:%n%s", result.output()).isZero();
	}

	@AfterAll
	static void deleteTheWorkFolder() throws IOException {
		if (work != null) {
			setWritable(work, true);
			try (Stream<Path> paths = Files.walk(work)) {
				for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(path);
				}
			}
		}
	}

	@Test
	void theJarExtractsIntoExactlyTheDockerfilesFourLayersInTheIndexOrder() throws Exception {
		try (Stream<Path> folders = Files.list(extracted)) {
			assertThat(folders.map((folder) -> folder.getFileName().toString()))
				.as("folders extracted by -Djarmode=tools extract --layers --launcher")
				.containsExactlyInAnyOrderElementsOf(LAYERS);
		}
		assertThat(layersIndex()).as("BOOT-INF/layers.idx").containsExactlyElementsOf(LAYERS);
		Result listed = run(work, List.of(java(), "-Djarmode=tools", "-jar", jar.toString(), "list-layers"));
		assertThat(listed.exit()).as("list-layers; output:%n%s", listed.output()).isZero();
		assertThat(listed.output().lines().map(String::strip).filter((line) -> !line.isEmpty())).as("list-layers")
			.containsExactlyElementsOf(LAYERS);

		// Each layer holds what its COPY promises, and no file is in two layers, so
		// merging
		// them into /app in any order gives the same tree (no COPY overwrites another).
		assertThat(extracted.resolve("dependencies/BOOT-INF/lib")).isDirectoryContaining("glob:**.jar");
		assertThat(extracted.resolve("spring-boot-loader/" + LAUNCHER.replace('.', '/') + ".class")).isRegularFile();
		assertThat(extracted.resolve("application/BOOT-INF/classes/dev/pulse/PulseApplication.class")).isRegularFile();
		assertThat(extracted.resolve("application/BOOT-INF/classpath.idx")).isRegularFile();
		assertThat(extracted.resolve("application/BOOT-INF/classes/application.yaml")).isRegularFile();
		Map<String, String> owners = new TreeMap<>();
		for (String layer : LAYERS) {
			for (String file : files(extracted.resolve(layer))) {
				String previous = owners.put(file, layer);
				assertThat(previous).as("%s is in the layers %s and %s", file, previous, layer).isNull();
			}
		}
		// The layers together are the whole jar: nothing is left out of the image.
		try (JarFile jarFile = new JarFile(jar.toFile())) {
			List<String> entries = jarFile.stream()
				.filter((entry) -> !entry.isDirectory())
				.map(ZipEntry::getName)
				.sorted()
				.toList();
			assertThat(owners.keySet()).as("files of the four layers").containsExactlyElementsOf(entries);
		}
	}

	@Test
	void pulseStartsFromTheLayersAsANonRootUserInAReadOnlyWorkingDirectory() throws Exception {
		List<String> runAs = runAsNonRoot();
		// The runtime stage: WORKDIR /app, then one COPY per layer into it, in order.
		Path app = work.resolve("app");
		Files.createDirectories(app);
		for (String layer : LAYERS) {
			copyTree(extracted.resolve(layer), app);
		}
		// The chart's writable places: an emptyDir at /tmp and the store's volume at
		// /data.
		Path tmp = work.resolve("tmp");
		Path data = work.resolve("data");
		Files.createDirectories(tmp);
		Files.createDirectories(data);
		Set<PosixFilePermission> everyone = PosixFilePermissions.fromString("rwxrwxrwx");
		Files.setPosixFilePermissions(tmp, everyone);
		Files.setPosixFilePermissions(data, everyone);
		Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
		// The image's files belong to root and are read-only for 10001; here nobody may
		// write.
		setWritable(app, false);
		setWritable(extracted, false);
		List<String> before = files(app);

		int port = freePort();
		Path log = work.resolve("pulse.log");
		List<String> command = new ArrayList<>(runAs);
		command.addAll(List.of(java(), "-Djava.io.tmpdir=" + tmp, LAUNCHER, "--server.port=" + port,
				"--server.address=127.0.0.1", "--spring.datasource.url=jdbc:sqlite:" + data.resolve("pulse.db")
						+ "?journal_mode=WAL&synchronous=FULL",
				"--spring.profiles.active=kubernetes"));
		ProcessBuilder builder = new ProcessBuilder(command).directory(app.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		// The image's environment, not the build's: no CLASSPATH (so the class path is
		// ".",
		// the working directory) and no SPRING_* leaking in from the machine.
		Map<String, String> environment = builder.environment();
		environment.clear();
		environment.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
		environment.put("HOME", "/nonexistent");
		environment.put("JAVA_TOOL_OPTIONS", dockerfileJavaToolOptions());
		System.out.println("Starting " + String.join(" ", command) + " in " + app);

		Process process = builder.start();
		Thread reaper = new Thread(() -> stop(process));
		Runtime.getRuntime().addShutdownHook(reaper);
		try {
			HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
			String base = "http://127.0.0.1:" + port;
			long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
			HttpResponse<String> readiness = null;
			while (System.nanoTime() < deadline) {
				if (!process.isAlive()) {
					fail("Pulse exited with status %d before it was ready; output:%n%s", process.exitValue(),
							tail(log));
				}
				readiness = get(http, base + "/actuator/health/readiness");
				if (readiness != null && readiness.statusCode() == 200) {
					break;
				}
				Thread.sleep(250);
			}
			assertThat(readiness).as("no answer from readiness within %s; output:%n%s", START_TIMEOUT, tail(log))
				.isNotNull();
			assertThat(readiness.statusCode()).as("readiness within %s; output:%n%s", START_TIMEOUT, tail(log))
				.isEqualTo(200);
			assertThat(readiness.body()).contains("\"status\":\"UP\"");
			HttpResponse<String> liveness = get(http, base + "/actuator/health/liveness");
			assertThat(liveness).as("liveness; output:%n%s", tail(log)).isNotNull();
			assertThat(liveness.statusCode()).as("liveness; output:%n%s", tail(log)).isEqualTo(200);
			assertThat(liveness.body()).contains("\"status\":\"UP\"");

			if (!runAs.isEmpty()) {
				assertThat(javaUid(process)).as("uid of the Pulse JVM").isNotZero();
			}
			// It wrote its store where it was told, and nothing at all next to its code.
			assertThat(data.resolve("pulse.db")).isRegularFile();
			assertThat(files(app)).as("files in the working directory after start-up").isEqualTo(before);
			assertThat(Files.readString(log)).as("output")
				.contains("Picked up JAVA_TOOL_OPTIONS: " + dockerfileJavaToolOptions())
				.contains("The following 1 profile is active: \"kubernetes\"");
		}
		finally {
			stop(process);
			Runtime.getRuntime().removeShutdownHook(reaper);
		}
		assertThat(process.isAlive()).as("Pulse still running after the test").isFalse();
		System.out.println("Pulse output (last lines):\n" + tail(log));
	}

	@Test
	void theDockerfileBuildsInTwoStagesAndRunsTheLayersAsUser10001() throws Exception {
		List<Instruction> instructions = dockerfile();
		List<Integer> froms = new ArrayList<>();
		for (int i = 0; i < instructions.size(); i++) {
			if (instructions.get(i).keyword().equals("FROM")) {
				froms.add(i);
			}
		}
		assertThat(froms).as("FROM lines (a build stage and a runtime stage)").hasSize(2);
		List<Instruction> build = instructions.subList(froms.get(0), froms.get(1));
		List<Instruction> runtime = instructions.subList(froms.get(1), instructions.size());
		assertThat(build.get(0).arguments()).matches("eclipse-temurin:17-jdk\\S* AS build");
		assertThat(runtime.get(0).arguments()).matches("eclipse-temurin:17-jre\\S*");

		assertThat(instructions).as("ADD of a remote URL")
			.noneMatch((instruction) -> instruction.keyword().equals("ADD")
					&& (instruction.arguments().contains("://") || instruction.arguments().contains("git@")));

		List<String> buildRuns = arguments(build, "RUN");
		assertThat(buildRuns).anyMatch((run) -> run.contains("--mount=type=cache,target=/root/.m2")
				&& run.contains("./mvnw -B -DskipTests package"));
		assertThat(buildRuns).anyMatch((run) -> run.contains(
				"java -Djarmode=tools -jar target/pulse-*.jar extract --layers --launcher --destination extracted"));

		List<String> users = arguments(runtime, "USER");
		assertThat(users).as("USER of the runtime stage").isNotEmpty();
		assertThat(users.get(users.size() - 1)).isEqualTo(UID + ":" + UID);
		assertThat(arguments(runtime, "WORKDIR")).containsExactly("/app");
		assertThat(arguments(runtime, "EXPOSE")).containsExactly("8080");
		assertThat(arguments(runtime, "VOLUME")).containsExactly("/data");

		Pattern layerCopy = Pattern.compile("--from=build /build/extracted/([^/]+)/ \\./");
		List<String> copied = new ArrayList<>();
		for (String copy : arguments(runtime, "COPY")) {
			Matcher matcher = layerCopy.matcher(copy);
			if (matcher.matches()) {
				copied.add(matcher.group(1));
			}
		}
		assertThat(copied).as("layer COPYs of the runtime stage").containsExactlyElementsOf(LAYERS);
		assertThat(copied).as("layer COPYs against the jar's BOOT-INF/layers.idx")
			.containsExactlyElementsOf(layersIndex());

		assertThat(arguments(runtime, "ENTRYPOINT")).containsExactly("[\"java\", \"" + LAUNCHER + "\"]");
		try (JarFile jarFile = new JarFile(jar.toFile())) {
			assertThat(jarFile.getManifest().getMainAttributes().getValue("Main-Class")).as("the jar's Main-Class")
				.isEqualTo(LAUNCHER);
		}
		assertThat(dockerfileJavaToolOptions()).isEqualTo("-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError");
	}

	/** The root user ignores file permissions, so as root the JVM runs as 10001. */
	private static List<String> runAsNonRoot() throws IOException {
		int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
		if (uid != 0) {
			System.out.println("Running Pulse as the current non-root user " + uid);
			return List.of();
		}
		String setpriv = onPath("setpriv");
		if (setpriv != null) {
			return List.of(setpriv, "--reuid=" + UID, "--regid=" + UID, "--clear-groups");
		}
		String runuser = onPath("runuser");
		if (runuser != null) {
			return List.of(runuser, "-u", "nobody", "--");
		}
		Assumptions.abort("Running as root, which ignores the read-only working directory, and neither setpriv "
				+ "nor runuser is available to start Pulse as a non-root user: start-up not tested");
		return List.of();
	}

	private static String onPath(String name) {
		for (String folder : System.getenv().getOrDefault("PATH", "/usr/bin:/bin:/usr/sbin:/sbin").split(":")) {
			Path candidate = Path.of(folder, name);
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		for (String folder : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
			Path candidate = Path.of(folder, name);
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		return null;
	}

	/**
	 * The uid of the java process: the started one (setpriv execs) or its child
	 * (runuser).
	 */
	private static int javaUid(Process process) throws IOException {
		List<ProcessHandle> handles = new ArrayList<>();
		handles.add(process.toHandle());
		process.descendants().forEach(handles::add);
		for (ProcessHandle handle : handles) {
			if (handle.info().command().map((command) -> command.endsWith("/java")).orElse(false)) {
				return (Integer) Files.getAttribute(Path.of("/proc/" + handle.pid()), "unix:uid");
			}
		}
		return fail("no java process among %s", handles);
	}

	/** destroy (SIGTERM, a graceful shutdown), then destroyForcibly after 10 s. */
	private static void stop(Process process) {
		List<ProcessHandle> descendants = process.descendants().toList();
		process.destroy();
		try {
			if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				System.out.println("Pulse did not stop within " + STOP_TIMEOUT + " of SIGTERM; killing it");
				process.destroyForcibly();
				process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
	}

	private static HttpResponse<String> get(HttpClient http, String url) throws InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static Path packagedJar() throws IOException {
		String property = System.getProperty("pulse.jar");
		if (property != null && !property.isBlank()) {
			Path path = Path.of(property);
			assertThat(path).as("pulse.jar (set by failsafe after package)").isRegularFile();
			return path.toAbsolutePath();
		}
		try (Stream<Path> candidates = Files.list(basedir().resolve("target"))) {
			List<Path> jars = candidates.filter((path) -> path.getFileName().toString().matches("pulse-.*\\.jar"))
				.toList();
			assertThat(jars).as("no pulse.jar property; packaged jars in target/").hasSize(1);
			return jars.get(0).toAbsolutePath();
		}
	}

	private static Path basedir() {
		return Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	/** The layer names of the jar's BOOT-INF/layers.idx, in order. */
	private static List<String> layersIndex() throws IOException {
		try (JarFile jarFile = new JarFile(jar.toFile())) {
			ZipEntry entry = jarFile.getEntry("BOOT-INF/layers.idx");
			assertThat(entry).as("BOOT-INF/layers.idx in %s", jar).isNotNull();
			String index = new String(jarFile.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8);
			Matcher matcher = Pattern.compile("(?m)^- \"([^\"]+)\":$").matcher(index);
			List<String> layers = new ArrayList<>();
			while (matcher.find()) {
				layers.add(matcher.group(1));
			}
			return layers;
		}
	}

	record Instruction(String keyword, String arguments) {
	}

	/** The Dockerfile's instructions: comments dropped, continuation lines joined. */
	private static List<Instruction> dockerfile() throws IOException {
		Path path = basedir().resolve("Dockerfile");
		assertThat(path).isRegularFile();
		List<Instruction> instructions = new ArrayList<>();
		StringBuilder current = new StringBuilder();
		for (String line : Files.readAllLines(path)) {
			String stripped = line.strip();
			if (stripped.startsWith("#") || (stripped.isEmpty() && current.length() == 0)) {
				continue;
			}
			if (stripped.endsWith("\\")) {
				current.append(stripped, 0, stripped.length() - 1).append(' ');
				continue;
			}
			current.append(stripped);
			String text = current.toString().strip().replaceAll("\\s+", " ");
			current.setLength(0);
			if (!text.isEmpty()) {
				int space = text.indexOf(' ');
				instructions.add(new Instruction(text.substring(0, space).toUpperCase(), text.substring(space + 1)));
			}
		}
		return instructions;
	}

	private static List<String> arguments(List<Instruction> instructions, String keyword) {
		return instructions.stream()
			.filter((instruction) -> instruction.keyword().equals(keyword))
			.map(Instruction::arguments)
			.toList();
	}

	private static String dockerfileJavaToolOptions() throws IOException {
		for (String env : arguments(dockerfile(), "ENV")) {
			Matcher matcher = Pattern.compile("JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(env);
			if (matcher.find()) {
				return matcher.group(1);
			}
		}
		return fail("no ENV JAVA_TOOL_OPTIONS in the Dockerfile");
	}

	/** Files (not folders) under root, as sorted relative paths. */
	private static List<String> files(Path root) throws IOException {
		try (Stream<Path> paths = Files.walk(root)) {
			return paths.filter((path) -> !Files.isDirectory(path))
				.map((path) -> root.relativize(path).toString())
				.sorted()
				.collect(Collectors.toList());
		}
	}

	private static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> paths = Files.walk(from)) {
			for (Path source : paths.toList()) {
				Path target = to.resolve(from.relativize(source).toString());
				if (Files.isDirectory(source)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
				}
			}
		}
	}

	/**
	 * chmod -R a-w (writable false) or u+w (writable true), so the work folder can go.
	 */
	private static void setWritable(Path root, boolean writable) throws IOException {
		Set<PosixFilePermission> write = EnumSet.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
				PosixFilePermission.OTHERS_WRITE);
		try (Stream<Path> paths = Files.walk(root)) {
			for (Path path : paths.toList()) {
				if (Files.isSymbolicLink(path)) {
					continue;
				}
				Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
				permissions.addAll(Files.getPosixFilePermissions(path));
				if (writable) {
					permissions.add(PosixFilePermission.OWNER_WRITE);
				}
				else {
					permissions.removeAll(write);
				}
				Files.setPosixFilePermissions(path, permissions);
			}
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	record Result(int exit, String output) {
	}

	private static Result run(Path directory, List<String> command) throws Exception {
		Path output = Files.createTempFile(work != null ? work : directory, "command", ".log");
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		try {
			if (!process.waitFor(120, TimeUnit.SECONDS)) {
				fail("%s did not finish within 120 s", command);
			}
			return new Result(process.exitValue(), Files.readString(output));
		}
		finally {
			process.destroyForcibly();
			Files.deleteIfExists(output);
		}
	}

}
