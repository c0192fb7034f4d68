package dev.pulse.discovery;

import java.net.InetAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

import dev.pulse.support.ApiClient;
import dev.pulse.support.RunningPulse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Discovery with two replicas on one PostgreSQL store: both discover every pod, each pod
 * is probed by exactly one of them (the owner of its target's partition), and both answer
 * for every pod with the owner's health. Runs when {@code PULSE_TEST_POSTGRES_URL} is
 * set.
 */
class DiscoveryReplicasTest {

	private static final String POSTGRES_URL = System.getenv("PULSE_TEST_POSTGRES_URL");

	private static final int PODS = 12;

	@Test
	void everyPodIsProbedByOneReplicaAndKnownToBoth() throws Exception {
		assumeTrue(POSTGRES_URL != null, "PULSE_TEST_POSTGRES_URL is not set: no replicas");
		String schema = "discovery_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);
		execute("CREATE SCHEMA " + schema);
		KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
				new KubernetesCrudDispatcher(), false);
		server.init(InetAddress.getByName("127.0.0.1"), 0);
		List<FakePod> pods = new ArrayList<>();
		List<RunningPulse> replicas = new ArrayList<>();
		try (NamespacedKubernetesClient kube = server.createClient(KubernetesDiscovery.httpClients("http://"))) {
			kube.services().inNamespace("shop").resource(Kube.service("shop", "cart", Kube.probed())).create();
			for (int i = 0; i < PODS; i++) {
				FakePod pod = new FakePod("cart-" + i);
				pods.add(pod);
				kube.discovery()
					.v1()
					.endpointSlices()
					.inNamespace("shop")
					.resource(Kube.slice("shop", "cart", "cart-" + i, pod.port(), List.of(Kube.Pod.ready(pod.name))))
					.create();
			}
			for (String member : List.of("replica-a", "replica-b")) {
				replicas.add(RunningPulse.start("spring.datasource.url=" + POSTGRES_URL + "&currentSchema=" + schema,
						"spring.flyway.schemas=" + schema, "pulse.cluster.member-id=" + member,
						"pulse.cluster.lease-duration=3s", "pulse.cluster.renew-interval=500ms",
						"pulse.cluster.renew-deadline=2s", "pulse.cluster.min-hold=1s",
						"pulse.cluster.poll-interval=500ms", "pulse.cluster.identify-header=" + FakePod.MEMBER_HEADER,
						"pulse.discovery.kubernetes.enabled=true", "pulse.discovery.kubernetes.namespaces=shop",
						"pulse.discovery.kubernetes.api-server=" + server.url("/"),
						"pulse.security.ssrf.allow=127.0.0.1/32"));
			}
			await().atMost(Duration.ofSeconds(30))
				.until(() -> settled(replicas.get(0).api()) && settled(replicas.get(1).api()));
			Thread.sleep(1000);
			pods.forEach(FakePod::forgetMembers);
			Thread.sleep(2000);

			Set<String> probing = new HashSet<>();
			for (FakePod pod : pods) {
				assertThat(pod.members()).as(pod.name + " is probed by exactly one replica").hasSize(1);
				probing.addAll(pod.members());
			}
			assertThat(probing).as("the pods are shared").containsExactlyInAnyOrder("replica-a", "replica-b");
			for (RunningPulse replica : replicas) {
				for (FakePod pod : pods) {
					await().atMost(Duration.ofSeconds(10))
						.until(() -> "HEALTHY"
							.equals(replica.api().getJson("/api/targets/cart-" + pod.name).path("state").asString()));
				}
			}
		}
		finally {
			for (RunningPulse replica : replicas) {
				replica.close();
			}
			pods.forEach(FakePod::close);
			server.destroy();
			execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
		}
	}

	/** Every partition owned, both members alive, and every pod known. */
	private static boolean settled(ApiClient api) throws Exception {
		var cluster = api.getJson("/actuator/cluster");
		return cluster.path("partitions").path("unowned").asInt(-1) == 0 && cluster.path("members").size() == 2
				&& api.getJson("/api/services/cart/scores").path("targets").size() == PODS;
	}

	private static void execute(String sql) throws Exception {
		try (Connection connection = DriverManager.getConnection(POSTGRES_URL);
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
