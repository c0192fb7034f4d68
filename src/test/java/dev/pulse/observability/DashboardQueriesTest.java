package dev.pulse.observability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.pulse.support.FaultServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs every query of the Grafana dashboard ({@code helm/pulse/dashboards/pulse.json})
 * against a real Prometheus that scrapes a running Pulse, and requires each one to be
 * valid and to return data.
 *
 * <p>
 * Needs a Prometheus binary in {@code PULSE_TEST_PROMETHEUS} ({@code .ci/prometheus.sh}
 * installs one and exports it); without it the test is skipped and says why. Prometheus
 * runs as a child process on a free loopback port, with its storage in a temporary
 * directory, and is always stopped. All traffic stays on 127.0.0.1.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "management.endpoints.web.exposure.include=health,info,prometheus,routing,connections")
@ActiveProfiles("test")
class DashboardQueriesTest {

	private static final String PROMETHEUS_ENV = "PULSE_TEST_PROMETHEUS";

	private static final Path DASHBOARD = Path.of("helm/pulse/dashboards/pulse.json");

	/** Bounds the wait for Prometheus to start and hold a first sample of Pulse. */
	private static final Duration FIRST_SAMPLE_TIMEOUT = Duration.ofSeconds(60);

	/** Bounds the wait for every query to return data once samples arrive. */
	private static final Duration QUERIES_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * Panel queries allowed to return nothing with these loopback targets, by panel
	 * title, with the reason. Empty: the dashboard's queries are written so that every
	 * panel has data as soon as Pulse probes (phases and socket states are aggregated,
	 * success and skip rates fall back to 0).
	 */
	private static final Map<String, String> EXPECTED_EMPTY = Map.of();

	/**
	 * Series that Pulse exports only as one replica of a cluster (PostgreSQL store, issue
	 * #14): this test's single Pulse on SQLite has none of them. A query that reads these
	 * series only is still sent to Prometheus and must be valid, but may return nothing.
	 * Any other series, Pulse's or not, must have data.
	 */
	private static final Set<String> CLUSTER_ONLY_SERIES = Set.of("pulse_cluster_members",
			"pulse_cluster_partitions_owned", "pulse_cluster_partitions_unowned", "pulse_cluster_handovers_total",
			"pulse_cluster_takeovers_total", "pulse_cluster_lease_renewal_seconds_bucket",
			"pulse_cluster_lease_renewal_failures_total", "pulse_cluster_fenced_writes_total",
			"pulse_cluster_health_published_total");

	/** A series name of Pulse's in a query (label names and functions never start so). */
	private static final Pattern PULSE_SERIES = Pattern.compile("\\bpulse_[a-z0-9_]+");

	private static final ObjectMapper JSON = new ObjectMapper();

	private static FaultServer shop1;

	private static FaultServer shop2;

	private static FaultServer edge1;

	@LocalServerPort
	private int port;

	@TempDir
	Path tempDir;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/**
	 * Two services: {@code shop} with two healthy targets, {@code edge} with one healthy
	 * and one refused target, all on loopback. The servers start when the context loads.
	 */
	@DynamicPropertySource
	static void targets(DynamicPropertyRegistry registry) {
		shop1 = FaultServer.start(FaultServer.healthy());
		shop2 = FaultServer.start(FaultServer.healthy());
		edge1 = FaultServer.start(FaultServer.healthy());
		Map<String, String[]> targets = new LinkedHashMap<>();
		targets.put("shop-1", new String[] { "shop", shop1.url("/health") });
		targets.put("shop-2", new String[] { "shop", shop2.url("/health") });
		targets.put("edge-1", new String[] { "edge", edge1.url("/health") });
		targets.put("edge-2", new String[] { "edge", "http://127.0.0.1:" + FaultServer.refusedPort() + "/" });
		targets.forEach((name, serviceAndUrl) -> {
			registry.add("pulse.targets." + name + ".url", () -> serviceAndUrl[1]);
			registry.add("pulse.targets." + name + ".service", () -> serviceAndUrl[0]);
			registry.add("pulse.targets." + name + ".interval", () -> "1s");
			registry.add("pulse.targets." + name + ".timeout", () -> "500ms");
		});
	}

	@AfterAll
	static void stopServers() {
		for (FaultServer server : new FaultServer[] { shop1, shop2, edge1 }) {
			if (server != null) {
				server.close();
			}
		}
	}

	@Test
	void everyDashboardQueryShouldReturnDataFromPrometheus() throws Exception {
		requirePrometheus();
		Map<String, String> queries = dashboardQueries();
		assertThat(queries).as("queries in %s", DASHBOARD).isNotEmpty();
		int prometheusPort = freeLoopbackPort();
		Path log = this.tempDir.resolve("prometheus.log");
		Process prometheus = startPrometheus(prometheusPort, log);
		try {
			String api = "http://127.0.0.1:" + prometheusPort;
			awaitFirstSample(api, prometheus, log);
			assertTemplateVariables(api);
			Map<String, String> failures = awaitData(api, queries);
			assertThat(failures).as("dashboard queries without data or with errors (Prometheus log: %s)", log)
				.isEmpty();
		}
		finally {
			stop(prometheus);
		}
	}

	/**
	 * Every target expression of every panel (rows included), keyed by a readable name,
	 * with the template variables substituted twice: as Grafana's "All" ({@code .*}) and
	 * as a real multi-value selection.
	 */
	private Map<String, String> dashboardQueries() throws IOException {
		JsonNode dashboard = JSON.readTree(Files.readString(DASHBOARD));
		Map<String, String> queries = new LinkedHashMap<>();
		List<JsonNode> panels = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			panels.add(panel);
			for (JsonNode nested : panel.path("panels")) {
				panels.add(nested);
			}
		}
		for (JsonNode panel : panels) {
			String title = panel.path("title").asString();
			if (EXPECTED_EMPTY.containsKey(title)) {
				System.out.println("Not required to have data: " + title + ": " + EXPECTED_EMPTY.get(title));
				continue;
			}
			for (JsonNode target : panel.path("targets")) {
				String expr = target.path("expr").asString();
				if (expr.isBlank()) {
					continue;
				}
				String name = title + " [" + target.path("refId").asString() + "]";
				queries.put(name + " (all)", substitute(expr, ".*", ".*"));
				queries.put(name + " (edge: edge-1|edge-2)", substitute(expr, "edge", "edge-1|edge-2"));
			}
		}
		return queries;
	}

	private static String substitute(String expr, String service, String target) {
		return expr.replace("${service}", service)
			.replace("$service", service)
			.replace("${target}", target)
			.replace("$target", target)
			.replace("$__rate_interval", "1m")
			.replace("$__interval", "15s");
	}

	private Process startPrometheus(int prometheusPort, Path log) throws IOException {
		Path config = this.tempDir.resolve("prometheus.yml");
		Files.writeString(config, """
				global:
				  scrape_interval: 1s
				  scrape_timeout: 1s
				  evaluation_interval: 1s
				scrape_configs:
				  - job_name: pulse
				    metrics_path: /actuator/prometheus
				    static_configs:
				      - targets: ['127.0.0.1:%d']
				""".formatted(this.port));
		Path storage = Files.createDirectories(this.tempDir.resolve("tsdb"));
		ProcessBuilder builder = new ProcessBuilder(System.getenv(PROMETHEUS_ENV), "--config.file=" + config,
				"--storage.tsdb.path=" + storage, "--web.listen-address=127.0.0.1:" + prometheusPort)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		return builder.start();
	}

	/**
	 * Waits until Prometheus is ready and has scraped pulse_target_up for every target.
	 */
	private void awaitFirstSample(String api, Process prometheus, Path log) throws Exception {
		long deadline = System.nanoTime() + FIRST_SAMPLE_TIMEOUT.toNanos();
		String last = "no answer";
		while (System.nanoTime() < deadline) {
			if (!prometheus.isAlive()) {
				fail("Prometheus exited with " + prometheus.exitValue() + ":\n" + Files.readString(log));
			}
			try {
				JsonNode answer = query(api, "count(pulse_target_up{job=\"pulse\"})");
				JsonNode result = answer.path("data").path("result");
				if (result.size() == 1 && result.get(0).path("value").get(1).asString().equals("4")) {
					return;
				}
				last = answer.toString();
			}
			catch (IOException ex) {
				last = ex.toString();
			}
			Thread.sleep(500);
		}
		fail("Prometheus had no pulse_target_up for the 4 targets within " + FIRST_SAMPLE_TIMEOUT + " (last: " + last
				+ "); log:\n" + Files.readString(log));
	}

	/** The dashboard's service and target variables list the configured names. */
	private void assertTemplateVariables(String api) throws Exception {
		assertThat(labelValues(api, "service", "pulse_target_up")).contains("shop", "edge");
		assertThat(labelValues(api, "target", "pulse_target_up{service=~\"edge\"}")).containsExactly("edge-1",
				"edge-2");
	}

	/**
	 * Runs every query until it returns data, or until {@link #QUERIES_TIMEOUT}: rate()
	 * needs two samples in its window, and some series appear only after the first
	 * probes. Answers the queries that never returned data, with why. A query of
	 * {@link #CLUSTER_ONLY_SERIES} only is done once Prometheus accepts it.
	 */
	private Map<String, String> awaitData(String api, Map<String, String> queries) throws Exception {
		Map<String, String> pending = new LinkedHashMap<>(queries);
		Map<String, String> failures = new LinkedHashMap<>();
		Set<String> clusterOnlyEmpty = new TreeSet<>();
		long deadline = System.nanoTime() + QUERIES_TIMEOUT.toNanos();
		while (true) {
			failures.clear();
			for (var it = pending.entrySet().iterator(); it.hasNext();) {
				var entry = it.next();
				JsonNode answer = query(api, entry.getValue());
				if (!"success".equals(answer.path("status").asString())) {
					// A query Prometheus rejects will never succeed: report it at once.
					fail("query '" + entry.getKey() + "' failed: " + answer + "\n" + entry.getValue());
				}
				boolean empty = answer.path("data").path("result").isEmpty();
				if (empty && !readsClusterOnlySeries(entry.getValue())) {
					failures.put(entry.getKey(), "empty result: " + entry.getValue());
				}
				else {
					if (empty) {
						clusterOnlyEmpty.add(entry.getKey());
					}
					it.remove();
				}
			}
			if (pending.isEmpty() || System.nanoTime() > deadline) {
				System.out.println((queries.size() - failures.size() - clusterOnlyEmpty.size()) + " of "
						+ queries.size() + " dashboard queries returned data; " + clusterOnlyEmpty.size()
						+ " read cluster-only series and were valid but empty: " + clusterOnlyEmpty);
				return failures;
			}
			Thread.sleep(1000);
		}
	}

	/**
	 * Whether every Pulse series the query reads is one of {@link #CLUSTER_ONLY_SERIES}.
	 */
	private static boolean readsClusterOnlySeries(String promql) {
		Matcher series = PULSE_SERIES.matcher(promql);
		boolean any = false;
		while (series.find()) {
			if (!CLUSTER_ONLY_SERIES.contains(series.group())) {
				return false;
			}
			any = true;
		}
		return any;
	}

	private JsonNode query(String api, String promql) throws IOException, InterruptedException {
		URI uri = URI.create(api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		// 200 answers a result, 400 and 422 an error in Prometheus's JSON; anything else
		// (503
		// while starting) is plain text.
		if (response.statusCode() != 200 && response.statusCode() != 400 && response.statusCode() != 422) {
			throw new IOException("HTTP " + response.statusCode() + ": " + response.body().strip());
		}
		return JSON.readTree(response.body());
	}

	private List<String> labelValues(String api, String label, String match) throws Exception {
		URI uri = URI.create(
				api + "/api/v1/label/" + label + "/values?match[]=" + URLEncoder.encode(match, StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
		JsonNode answer = JSON.readTree(this.http.send(request, HttpResponse.BodyHandlers.ofString()).body());
		assertThat(answer.path("status").asString()).as("label values of %s: %s", label, answer).isEqualTo("success");
		List<String> values = new ArrayList<>();
		for (JsonNode value : answer.path("data")) {
			values.add(value.asString());
		}
		return values;
	}

	/**
	 * Skips the test, with the reason printed and reported, without a Prometheus binary.
	 * Checked in the test rather than in a {@code @BeforeAll}, so that the skip is
	 * reported on the test (a class-level skip is not counted by Surefire).
	 */
	private static void requirePrometheus() {
		String prometheus = System.getenv(PROMETHEUS_ENV);
		String reason = null;
		if (prometheus == null || prometheus.isBlank()) {
			reason = PROMETHEUS_ENV + " is not set (source .ci/prometheus.sh to install Prometheus and set it)";
		}
		else if (!Files.isExecutable(Path.of(prometheus))) {
			reason = PROMETHEUS_ENV + "=" + prometheus + " is not an executable file";
		}
		if (reason != null) {
			System.out.println("DashboardQueriesTest skipped: " + reason);
		}
		Assumptions.assumeTrue(reason == null, reason);
	}

	private static int freeLoopbackPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static void stop(Process process) throws InterruptedException {
		process.destroy();
		if (!process.waitFor(10, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			process.waitFor(5, TimeUnit.SECONDS);
		}
	}

}
