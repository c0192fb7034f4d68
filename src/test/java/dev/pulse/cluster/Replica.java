package dev.pulse.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

import dev.pulse.support.TcpProxy;

/**
 * One Pulse JVM of the cluster, started from the {@link PulseJar} on a fixed loopback
 * port with a {@link TcpProxy} of its own in front of PostgreSQL, its output in a log
 * file under {@code target/}. A restart is a new {@code Replica} with the same member id,
 * port and proxy, and the next generation number in its log's name.
 */
final class Replica implements AutoCloseable {

	static final ObjectMapper JSON = JsonMapper.builder().build();

	static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofMillis(500))
		.build();

	private final String memberId;

	private final int port;

	private final TcpProxy proxy;

	private final int generation;

	private final Path log;

	private final Process process;

	private final long startNanos;

	private Replica(String memberId, int port, TcpProxy proxy, int generation, Path log, Process process,
			long startNanos) {
		this.memberId = memberId;
		this.port = port;
		this.proxy = proxy;
		this.generation = generation;
		this.log = log;
		this.process = process;
		this.startNanos = startNanos;
	}

	/**
	 * Start a replica.
	 * @param args every Spring argument but the port, member id and address
	 */
	static Replica start(PulseJar jar, String memberId, int port, TcpProxy proxy, int generation, Path logs,
			List<String> args) throws IOException {
		List<String> all = new ArrayList<>(args);
		all.add("--server.port=" + port);
		all.add("--server.address=127.0.0.1");
		all.add("--pulse.cluster.member-id=" + memberId);
		all.add("--pulse.cluster.address=http://127.0.0.1:" + port);
		Path log = logs.resolve(memberId + "-" + generation + ".log");
		long start = System.nanoTime();
		Process process = new ProcessBuilder(jar.command(all)).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		return new Replica(memberId, port, proxy, generation, log, process, start);
	}

	/** The same member again: same port and proxy, the next generation. */
	Replica restart(PulseJar jar, Path logs, List<String> args) throws IOException {
		return start(jar, this.memberId, this.port, this.proxy, this.generation + 1, logs, args);
	}

	String memberId() {
		return this.memberId;
	}

	int port() {
		return this.port;
	}

	TcpProxy proxy() {
		return this.proxy;
	}

	int generation() {
		return this.generation;
	}

	Path log() {
		return this.log;
	}

	long startNanos() {
		return this.startNanos;
	}

	long pid() {
		return this.process.pid();
	}

	boolean isAlive() {
		return this.process.isAlive();
	}

	/** Whether readiness answers 200 now. */
	boolean ready() {
		HttpResponse<String> response = get("/actuator/health/readiness", Duration.ofSeconds(1));
		return response != null && response.statusCode() == 200;
	}

	/**
	 * Wait until readiness answers 200.
	 * @return the milliseconds from start to ready
	 * @throws AssertionError if the process exits or the deadline passes first
	 */
	long awaitReady(Duration deadline) throws InterruptedException {
		long end = System.nanoTime() + deadline.toNanos();
		while (System.nanoTime() < end) {
			if (!this.process.isAlive()) {
				throw new AssertionError(this + " exited with " + this.process.exitValue()
						+ " before it was ready; log tail:\n" + logTail(60));
			}
			if (ready()) {
				return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - this.startNanos);
			}
			Thread.sleep(100);
		}
		throw new AssertionError(this + " not ready within " + deadline + "; log tail:\n" + logTail(60));
	}

	/**
	 * {@code GET /actuator/cluster}, or null if it does not answer 200 within a second.
	 */
	@Nullable ClusterView cluster() {
		HttpResponse<String> response = get("/actuator/cluster", Duration.ofSeconds(1));
		if (response == null || response.statusCode() != 200) {
			return null;
		}
		return ClusterView.parse(JSON.readTree(response.body()));
	}

	/** {@code GET /api/targets/{name}} as JSON, or null. */
	@Nullable JsonNode target(String name) {
		HttpResponse<String> response = get("/api/targets/" + name, Duration.ofSeconds(1));
		return (response != null && response.statusCode() == 200) ? JSON.readTree(response.body()) : null;
	}

	/**
	 * {@code GET /api/targets/{name}} without waiting: the JSON, or null if it did not
	 * answer 200 within a second.
	 */
	CompletableFuture<@Nullable JsonNode> targetAsync(String name) {
		HttpRequest request = HttpRequest.newBuilder(uri("/api/targets/" + name))
			.timeout(Duration.ofSeconds(1))
			.GET()
			.build();
		return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
			.handle((response, failure) -> (failure == null && response.statusCode() == 200)
					? JSON.readTree(response.body()) : null);
	}

	/** {@code PUT /api/targets/{name}} with the write token. */
	HttpResponse<String> put(String name, String body, String token) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri("/api/targets/" + name))
			.timeout(Duration.ofSeconds(5))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
	}

	@Nullable HttpResponse<String> get(String path, Duration timeout) {
		HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(timeout).GET().build();
		try {
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	/** SIGTERM, a graceful stop: the replica hands its partitions over. */
	void sigterm() {
		this.process.destroy();
	}

	/**
	 * Wait for the process to exit.
	 * @return its exit status, or null if it still runs at the deadline
	 */
	@Nullable Integer awaitExit(Duration deadline) throws InterruptedException {
		return this.process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS) ? this.process.exitValue() : null;
	}

	/** SIGKILL, then wait (bounded) until the process is gone. */
	void kill9() throws InterruptedException {
		this.process.destroyForcibly();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException(this + " outlived SIGKILL by 10 s");
		}
	}

	/** SIGSTOP: the JVM freezes, sockets and leases stay as they are. */
	void sigstop() throws IOException, InterruptedException {
		signal("-STOP");
	}

	/** SIGCONT after {@link #sigstop()}. */
	void sigcont() throws IOException, InterruptedException {
		signal("-CONT");
	}

	private void signal(String signal) throws IOException, InterruptedException {
		Process kill = new ProcessBuilder("/bin/kill", signal, Long.toString(this.process.pid())).inheritIO().start();
		if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
			throw new IllegalStateException("/bin/kill " + signal + " " + this.process.pid() + " failed");
		}
	}

	/** The last lines of the log, for a failure message. */
	String logTail(int lines) {
		try {
			List<String> all = Files.readAllLines(this.log);
			return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			// SIGKILL works on a stopped process too.
			kill9();
		}
	}

	@Override
	public String toString() {
		return this.memberId + "#" + this.generation + " (pid " + this.process.pid() + ", port " + this.port + ", log "
				+ this.log + ")";
	}

}
