package dev.pulse.discovery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.pulse.support.ApiClient;
import dev.pulse.support.TcpProxy;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kubernetes discovery against fabric8's mock API server in CRUD mode over real HTTP
 * (through a TCP proxy the test can cut), with loopback HTTP servers standing for the
 * pods, so every probe is real. Each test works in a namespace of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "pulse.discovery.kubernetes.enabled=true",
				"pulse.discovery.kubernetes.namespaces=ns-scale,ns-drain,ns-annot,ns-watch",
				"pulse.discovery.kubernetes.service-selector=team=pulse", "pulse.security.ssrf.allow=127.0.0.1/32",
				"pulse.api.write-token=s3cret" })
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class KubernetesDiscoveryTest {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static KubernetesMockServer server;

	private static final ExpiringWatches dispatcher = new ExpiringWatches();

	private static TcpProxy proxy;

	private static NamespacedKubernetesClient kube;

	private static final List<FakePod> pods = new CopyOnWriteArrayList<>();

	@LocalServerPort
	private int port;

	@Autowired
	private TargetRegistry registry;

	@Autowired
	private KubernetesDiscovery discovery;

	@Autowired
	private MeterRegistry meters;

	@BeforeAll
	static void startApiServer() throws IOException {
		server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), dispatcher, false);
		server.init(InetAddress.getByName("127.0.0.1"), 0);
		kube = server.createClient(KubernetesDiscovery.httpClients("http://"));
	}

	@DynamicPropertySource
	static void apiServer(DynamicPropertyRegistry properties) {
		properties.add("pulse.discovery.kubernetes.api-server", () -> {
			try {
				if (proxy == null) {
					proxy = TcpProxy.start("kubernetes-api", "127.0.0.1", server.getPort());
				}
				return "http://127.0.0.1:" + proxy.port();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	@AfterAll
	static void stop() throws IOException {
		pods.forEach(FakePod::close);
		kube.close();
		proxy.close();
		server.destroy();
	}

	@Test
	void everyReadyPodIsProbedAndFollowedAsTheServiceScales() throws Exception {
		ApiClient api = new ApiClient(this.port);
		FakePod a0 = pod("a0");
		FakePod a1 = pod("a1");
		create(Kube.service("ns-scale", "web", Kube.probed()));
		create(Kube.slice("ns-scale", "web", "web-a0", a0.port(), List.of(Kube.Pod.ready("a0"))));
		create(Kube.slice("ns-scale", "web", "web-a1", a1.port(), List.of(Kube.Pod.ready("a1"))));

		await().atMost(WAIT).until(() -> a0.hits() > 0 && a1.hits() > 0);
		JsonNode target = api.getJson("/api/targets/web-a0");
		assertThat(target.path("source").asString()).isEqualTo("kubernetes");
		assertThat(target.path("service").asString()).isEqualTo("web");
		assertThat(target.path("url").asString()).isEqualTo("http://127.0.0.1:" + a0.port() + "/health");
		assertThat(target.path("kubernetes").path("namespace").asString()).isEqualTo("ns-scale");
		assertThat(target.path("kubernetes").path("pod").asString()).isEqualTo("a0");
		assertThat(target.path("kubernetes").path("node").asString()).isEqualTo("node-a");
		assertThat(target.path("kubernetes").path("zone").asString()).isEqualTo("zone-1");
		assertThat(target.path("interval").asString()).isEqualTo("200ms");
		assertThat(a0.lastPath()).isEqualTo("/health");
		await().atMost(WAIT).until(() -> "HEALTHY".equals(api.getJson("/api/targets/web-a1").path("state").asString()));

		FakePod a2 = pod("a2");
		create(Kube.slice("ns-scale", "web", "web-a2", a2.port(), List.of(Kube.Pod.ready("a2"))));
		await().atMost(WAIT).until(() -> a2.hits() > 0);
		assertThat(api.getJson("/api/services/web/scores").path("targets")).hasSize(3);

		kube.discovery().v1().endpointSlices().inNamespace("ns-scale").withName("web-a0").delete();
		await().atMost(WAIT).until(() -> this.registry.find("web-a0").isEmpty());
		assertThat(api.get("/api/targets/web-a0").statusCode()).isEqualTo(404);
		assertProbesStop(a0);

		List<String> events = replayedEvents();
		assertThat(events)
			.anyMatch(e -> e.startsWith("target-discovered ") && e.contains("\"target\":\"web-a2\"")
					&& e.contains("\"pod\":\"a2\"") && e.contains("\"namespace\":\"ns-scale\""))
			.anyMatch(e -> e.startsWith("target-removed ") && e.contains("\"target\":\"web-a0\"")
					&& e.contains("\"source\":\"kubernetes\""));

		ApiClient writer = api.withToken("s3cret");
		assertThat(writer.delete("/api/targets/web-a1").statusCode()).as("discovered targets are read-only")
			.isEqualTo(409);
		assertThat(writer.put("/api/targets/web-a1", "{\"url\":\"http://127.0.0.1:1/\"}").statusCode()).isEqualTo(409);
		String scrape = api.get("/actuator/prometheus").body();
		assertThat(scrape).contains("pulse_discovery_targets{source=\"kubernetes\"}")
			.contains("pulse_discovery_last_sync_timestamp_seconds");
		assertThat(this.meters.get("pulse.discovery.targets").tag("source", "kubernetes").gauge().value())
			.isGreaterThanOrEqualTo(2);
	}

	@Test
	void terminatingPodsAreDrainedAndNotReadyOnesDropped() throws Exception {
		ApiClient api = new ApiClient(this.port);
		FakePod b0 = pod("b0");
		FakePod b1 = pod("b1");
		create(Kube.service("ns-drain", "api", Kube.probed()));
		create(Kube.slice("ns-drain", "api", "api-b0", b0.port(), List.of(Kube.Pod.ready("b0"))));
		create(Kube.slice("ns-drain", "api", "api-b1", b1.port(), List.of(Kube.Pod.ready("b1"))));
		await().atMost(WAIT)
			.until(() -> "HEALTHY".equals(api.getJson("/api/targets/api-b0").path("state").asString())
					&& "HEALTHY".equals(api.getJson("/api/targets/api-b1").path("state").asString()));

		update(Kube.slice("ns-drain", "api", "api-b1", b1.port(), List.of(new Kube.Pod("b1", false, true))));
		await().atMost(WAIT)
			.until(() -> api.getJson("/api/targets/api-b1").path("kubernetes").path("terminating").asBoolean());
		assertProbesStop(b1);
		JsonNode scores = api.getJson("/api/services/api/scores").path("targets");
		JsonNode drained = scores.get(1);
		assertThat(drained.path("name").asString()).isEqualTo("api-b1");
		assertThat(drained.path("drained").asBoolean()).isTrue();
		assertThat(drained.path("weight").asDouble()).isZero();
		assertThat(drained.path("eligible").asBoolean()).isFalse();
		for (int i = 0; i < 20; i++) {
			assertThat(api.getJson("/api/services/api/route").path("target").asString()).isEqualTo("api-b0");
		}

		update(Kube.slice("ns-drain", "api", "api-b0", b0.port(), List.of(new Kube.Pod("b0", false, false))));
		await().atMost(WAIT).until(() -> this.registry.find("api-b0").isEmpty());
		assertProbesStop(b0);
		var route = api.get("/api/services/api/route");
		assertThat(route.statusCode()).isEqualTo(503);
		JsonNode exclusion = ApiClient.parse(route.body()).path("targets").get(0);
		assertThat(exclusion.path("target").asString()).isEqualTo("api-b1");
		assertThat(exclusion.path("reason").asString()).isEqualTo("terminating");

		kube.discovery().v1().endpointSlices().inNamespace("ns-drain").withName("api-b1").delete();
		await().atMost(WAIT).until(() -> this.registry.find("api-b1").isEmpty());
	}

	@Test
	void annotationsAreFollowedAndBadOnesWarnedAboutWithoutStoppingTheRest(CapturedOutput output) throws Exception {
		ApiClient api = new ApiClient(this.port);
		List<String> warnings = new CopyOnWriteArrayList<>();
		this.discovery.addListener((namespace, service, annotation, message) -> warnings
			.add(namespace + "/" + service + " " + annotation + ": " + message));
		FakePod good = pod("g0");
		FakePod bad = pod("x0");
		create(Kube.service("ns-annot", "good", Kube.probed()));
		create(Kube.slice("ns-annot", "good", "good-g0", good.port(), List.of(Kube.Pod.ready("g0"))));
		Map<String, String> duration = Kube.probed();
		duration.put("pulse.dev/interval", "ten seconds");
		create(Kube.service("ns-annot", "bad-interval", duration));
		create(Kube.slice("ns-annot", "bad-interval", "bad-interval-x0", bad.port(), List.of(Kube.Pod.ready("x0"))));
		Map<String, String> port = Kube.probed();
		port.put("pulse.dev/port", "grpc");
		create(Kube.service("ns-annot", "bad-port", port));
		create(Kube.slice("ns-annot", "bad-port", "bad-port-x0", bad.port(), List.of(Kube.Pod.ready("x0"))));
		Map<String, String> condition = Kube.probed();
		condition.put("pulse.dev/conditions", "[\"[STATUS] ==\"]");
		create(Kube.service("ns-annot", "bad-condition", condition));
		create(Kube.slice("ns-annot", "bad-condition", "bad-condition-x0", bad.port(), List.of(Kube.Pod.ready("x0"))));
		create(Kube.service("ns-annot", "metadata", Kube.probed()));
		EndpointSlice metadata = Kube.slice("ns-annot", "metadata", "metadata-m0", 80, List.of(Kube.Pod.ready("m0")));
		metadata.getEndpoints().get(0).setAddresses(List.of("169.254.169.254"));
		create(metadata);

		await().atMost(WAIT).until(() -> warnings.size() >= 4 && good.hits() > 0);
		assertThat(warnings).anyMatch(w -> w.startsWith("ns-annot/bad-interval pulse.dev/interval: 'ten seconds'"))
			.anyMatch(w -> w.startsWith("ns-annot/bad-port pulse.dev/port: EndpointSlice bad-port-x0 has no TCP port"))
			.anyMatch(w -> w.startsWith("ns-annot/bad-condition pulse.dev/conditions:"))
			.anyMatch(w -> w.startsWith("ns-annot/metadata pulse.dev/probe: endpoint 169.254.169.254"));
		assertThat(output.getOut())
			.contains("Service bad-interval in namespace ns-annot: annotation pulse.dev/interval");
		assertThat(replayedEvents()).anyMatch(e -> e.startsWith("discovery-warning ")
				&& e.contains("\"service\":\"bad-port\"") && e.contains("\"annotation\":\"pulse.dev/port\""));
		assertThat(bad.hits()).as("no bad Service is probed").isZero();
		assertThat(this.registry.all().stream().map(Target::service)).doesNotContain("bad-interval", "bad-port",
				"bad-condition", "metadata");
		int warned = warnings.size();

		Map<String, String> moved = Kube.probed();
		moved.put("pulse.dev/path", "/ready");
		update(Kube.service("ns-annot", "good", moved));
		await().atMost(WAIT).until(() -> "/ready".equals(good.lastPath()));
		assertThat(api.getJson("/api/targets/good-g0").path("url").asString()).endsWith("/ready");

		Map<String, String> broken = new HashMap<>(moved);
		broken.put("pulse.dev/weight", "heavy");
		update(Kube.service("ns-annot", "good", broken));
		await().atMost(WAIT).until(() -> warnings.size() > warned);
		assertThat(warnings.get(warned)).startsWith("ns-annot/good pulse.dev/weight: 'heavy'");
		int before = good.hits();
		await().atMost(WAIT).until(() -> good.hits() > before + 2);
		assertThat(this.registry.find("good-g0")).as("the last good annotations stay in use").isPresent();

		Map<String, String> off = new HashMap<>(moved);
		off.put("pulse.dev/probe", "false");
		update(Kube.service("ns-annot", "good", off));
		await().atMost(WAIT).until(() -> this.registry.find("good-g0").isEmpty());
		assertProbesStop(good);
	}

	@Test
	void aWatchClosedByTheServerRelistsAndReconcilesWithoutFlapping() throws Exception {
		Map<String, List<String>> changes = new ConcurrentHashMap<>();
		this.registry.addListener(new TargetRegistry.Listener() {

			@Override
			public void onPut(@Nullable Target previous, Target target) {
				changes.computeIfAbsent(target.name(), name -> new CopyOnWriteArrayList<>())
					.add((previous == null) ? "added" : "changed");
			}

			@Override
			public void onRemoved(Target target) {
				changes.computeIfAbsent(target.name(), name -> new CopyOnWriteArrayList<>()).add("removed");
			}

		});
		FakePod c0 = pod("c0");
		FakePod c1 = pod("c1");
		FakePod c2 = pod("c2");
		FakePod c3 = pod("c3");
		create(Kube.service("ns-watch", "steady", Kube.probed()));
		create(Kube.slice("ns-watch", "steady", "steady-c0", c0.port(), List.of(Kube.Pod.ready("c0"))));
		create(Kube.slice("ns-watch", "steady", "steady-c3", c3.port(), List.of(Kube.Pod.ready("c3"))));
		await().atMost(WAIT).until(() -> c0.hits() > 0 && c3.hits() > 0);
		double restarts = restarts();
		changes.clear();

		proxy.cut();
		await().atMost(WAIT).until(() -> restarts() > restarts);
		// Changes the watch cannot see: only a relist finds them.
		create(Kube.slice("ns-watch", "steady", "steady-c1", c1.port(), List.of(Kube.Pod.ready("c1"))));
		kube.discovery().v1().endpointSlices().inNamespace("ns-watch").withName("steady-c3").delete();
		create(Kube.service("ns-watch", "late", Kube.probed()));
		EndpointSlice last = create(
				Kube.slice("ns-watch", "late", "late-c2", c2.port(), List.of(Kube.Pod.ready("c2"))));
		// Long enough away that the API server's watch cache moved on: resuming is
		// refused
		// with 410 Gone, and the informers list again.
		dispatcher.expireBelow(Long.parseLong(last.getMetadata().getResourceVersion()));
		Thread.sleep(500);
		assertThat(this.registry.find("steady-c1")).isEmpty();
		proxy.restore();

		await().atMost(WAIT).until(() -> c1.hits() > 0 && c2.hits() > 0 && this.registry.find("steady-c3").isEmpty());
		assertProbesStop(c3);
		assertThat(changes.get("steady-c0")).as("a target present throughout never flaps").isNull();
		assertThat(changes.get("steady-c1")).containsExactly("added");
		assertThat(changes.get("late-c2")).containsExactly("added");
		assertThat(changes.get("steady-c3")).containsExactly("removed");
		await().atMost(WAIT)
			.until(() -> this.meters.get("pulse.discovery.last.sync.timestamp").gauge().value()
					* 1000 > System.currentTimeMillis() - 5000);
	}

	/**
	 * The event stream's replay of recent events, as {@code type data} lines: read for a
	 * second, then closed.
	 */
	private List<String> replayedEvents() throws Exception {
		List<String> events = new CopyOnWriteArrayList<>();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/events"))
			.header("Accept", "text/event-stream")
			.build();
		HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
				String type = "message";
				for (String line = lines.readLine(); line != null; line = lines.readLine()) {
					if (line.startsWith("event:")) {
						type = line.substring("event:".length()).strip();
					}
					else if (line.startsWith("data:")) {
						events.add(type + " " + line.substring("data:".length()).strip());
					}
				}
			}
			catch (IOException ex) {
				// closed below
			}
		});
		reader.start();
		Thread.sleep(1000);
		response.body().close();
		reader.join(2000);
		return events;
	}

	private double restarts() {
		return this.meters.find("pulse.discovery.watch.restarts")
			.tag("namespace", "ns-watch")
			.counters()
			.stream()
			.mapToDouble(counter -> counter.count())
			.sum();
	}

	/** The pod gets no probe for a second after its in-flight one finished. */
	private static void assertProbesStop(FakePod pod) throws InterruptedException {
		Thread.sleep(400);
		int hits = pod.hits();
		Thread.sleep(1000);
		assertThat(pod.hits()).as(pod.name + " is no longer probed").isEqualTo(hits);
	}

	private static FakePod pod(String name) throws IOException {
		FakePod pod = new FakePod(name);
		pods.add(pod);
		return pod;
	}

	private static void create(Service service) {
		kube.services().inNamespace(service.getMetadata().getNamespace()).resource(service).create();
	}

	private static void update(Service service) {
		kube.services().inNamespace(service.getMetadata().getNamespace()).resource(service).update();
	}

	private static EndpointSlice create(EndpointSlice slice) {
		return kube.discovery()
			.v1()
			.endpointSlices()
			.inNamespace(slice.getMetadata().getNamespace())
			.resource(slice)
			.create();
	}

	private static void update(EndpointSlice slice) {
		kube.discovery().v1().endpointSlices().inNamespace(slice.getMetadata().getNamespace()).resource(slice).update();
	}

}
