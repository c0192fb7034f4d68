package dev.pulse.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.ObjectMapper;

import static dev.pulse.helm.PulseChart.at;
import static dev.pulse.helm.PulseChart.map;
import static dev.pulse.helm.PulseChart.ofKind;
import static dev.pulse.helm.PulseChart.one;
import static dev.pulse.helm.PulseChart.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code helm lint --strict} and {@code helm template} of {@code helm/pulse} with the
 * default values and with every {@code ci/*-values.yaml}, and what the rendered objects
 * must hold.
 */
class HelmChartTest {

	private static final String SQLITE_URL = "jdbc:sqlite:/data/pulse.db?journal_mode=WAL&synchronous=FULL&busy_timeout=5000&foreign_keys=true";

	/** The default values, then each ci file (a null file means the defaults alone). */
	static Stream<Arguments> valueSets() {
		return Stream.concat(Stream.of(Arguments.of("defaults", null)),
				PulseChart.ciValues().map(p -> Arguments.of(p.getFileName().toString(), p)));
	}

	private static Path[] files(Path file) {
		return (file != null) ? new Path[] { file } : new Path[0];
	}

	@Test
	void ciShouldHaveOneValuesFilePerOptionalFeature() {
		assertThat(PulseChart.ciValues().map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
				"persistence-off-values.yaml", "postgresql-values.yaml", "servicemonitor-rule-values.yaml",
				"existing-secret-values.yaml", "ingress-netpol-pdb-values.yaml", "replicas-values.yaml",
				"discovery-values.yaml");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valueSets")
	void strictLintShouldPass(String name, Path file, @TempDir Path workDir) {
		LintResult result = PulseChart.lint(workDir, files(file));

		assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
		assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valueSets")
	void everyObjectShouldCarryTheChartLabelsAndTheSelectorsShouldMatch(String name, Path file) {
		List<Map<String, Object>> objects = render(files(file));

		assertThat(objects).isNotEmpty();
		for (Map<String, Object> object : objects) {
			Map<String, Object> labels = map(object, "metadata.labels");
			assertThat(labels).as("labels of %s %s", object.get("kind"), at(object, "metadata.name"))
				.containsEntry("app.kubernetes.io/name", "pulse")
				.containsEntry("app.kubernetes.io/instance", PulseChart.RELEASE)
				.containsEntry("app.kubernetes.io/managed-by", "Helm")
				.containsEntry("app.kubernetes.io/version", "0.1.0-SNAPSHOT")
				.containsEntry("helm.sh/chart", "pulse-0.1.0");
			if (List.of("Role", "RoleBinding").contains(object.get("kind"))) {
				// Discovery's grants live in each namespace it watches.
				assertThat((String) at(object, "metadata.name")).isEqualTo("pulse-discovery");
			}
			else {
				assertThat((String) at(object, "metadata.namespace")).isEqualTo(PulseChart.NAMESPACE);
			}
		}
		Map<String, Object> deployment = one(objects, "Deployment");
		Map<String, Object> selector = map(deployment, "spec.selector.matchLabels");
		assertThat(selector).containsOnlyKeys("app.kubernetes.io/name", "app.kubernetes.io/instance");
		assertThat(map(deployment, "spec.template.metadata.labels")).containsAllEntriesOf(selector);
		assertThat(map(one(objects, "Service"), "spec.selector")).isEqualTo(selector);
		for (String kind : List.of("ServiceMonitor", "PodDisruptionBudget")) {
			ofKind(objects, kind).forEach(o -> assertThat(map(o, "spec.selector.matchLabels")).isEqualTo(selector));
		}
		ofKind(objects, "NetworkPolicy")
			.forEach(o -> assertThat(map(o, "spec.podSelector.matchLabels")).isEqualTo(selector));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valueSets")
	void podShouldPassTheRestrictedPodSecurityStandard(String name, Path file) {
		Map<String, Object> pod = map(one(render(files(file)), "Deployment"), "spec.template.spec");

		assertThat(map(pod, "securityContext"))
			.isEqualTo(Map.of("runAsNonRoot", true, "runAsUser", 10001, "runAsGroup", 10001, "fsGroup", 10001,
					"fsGroupChangePolicy", "OnRootMismatch", "seccompProfile", Map.of("type", "RuntimeDefault")));
		// Only Kubernetes discovery calls the API, with list and watch (tested below).
		boolean discovery = file != null && file.getFileName().toString().equals("discovery-values.yaml");
		assertThat(pod).containsEntry("automountServiceAccountToken", discovery)
			.containsEntry("enableServiceLinks", false)
			.containsEntry("terminationGracePeriodSeconds", 30);
		List<Map<String, Object>> containers = at(pod, "containers");
		assertThat(containers).hasSize(1);
		Map<String, Object> container = containers.get(0);
		assertThat(map(container, "securityContext"))
			.isEqualTo(Map.of("readOnlyRootFilesystem", true, "allowPrivilegeEscalation", false, "runAsNonRoot", true,
					"capabilities", Map.of("drop", List.of("ALL"))));
		assertThat(volumeMount(container, "tmp")).containsEntry("mountPath", "/tmp");
		assertThat(volume(pod, "tmp")).containsEntry("emptyDir", Map.of());
		assertThat(map(container, "resources"))
			.isEqualTo(Map.of("requests", Map.of("cpu", "250m", "memory", "512Mi"), "limits", Map.of("memory", "1Gi")));
		assertThat(env(container, "JAVA_TOOL_OPTIONS")).containsEntry("value",
				"-XX:MaxRAMPercentage=75.0 -XX:+ExitOnOutOfMemoryError");
		assertThat(map(container, "ports.0"))
			.isEqualTo(Map.of("name", "http", "containerPort", 8080, "protocol", "TCP"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valueSets")
	void probesShouldUseTheActuatorHealthGroups(String name, Path file) {
		Map<String, Object> container = at(one(render(files(file)), "Deployment"), "spec.template.spec.containers.0");

		assertThat((String) at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
		assertThat((String) at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
		assertThat((String) at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
		assertThat((Integer) at(container, "startupProbe.failureThreshold")).isEqualTo(30);
		assertThat((Integer) at(container, "startupProbe.periodSeconds")).isEqualTo(2);
		int longestProbeTimeout = Stream.of("livenessProbe", "readinessProbe", "startupProbe")
			.mapToInt(p -> (Integer) at(container, p + ".timeoutSeconds"))
			.max()
			.orElseThrow();
		assertThat(longestProbeTimeout).isLessThan(30);
	}

	@Test
	void defaultStoreShouldBeSqliteOnAPersistentVolumeClaimRecreatedNeverRolled() {
		List<Map<String, Object>> objects = render();
		Map<String, Object> deployment = one(objects, "Deployment");
		Map<String, Object> pod = map(deployment, "spec.template.spec");
		Map<String, Object> container = at(pod, "containers.0");

		assertThat((Integer) at(deployment, "spec.replicas")).isEqualTo(1);
		assertThat(map(deployment, "spec.strategy")).isEqualTo(Map.of("type", "Recreate"));
		Map<String, Object> pvc = one(objects, "PersistentVolumeClaim");
		assertThat((String) at(pvc, "metadata.name")).isEqualTo("pulse-data");
		assertThat((List<String>) at(pvc, "spec.accessModes")).containsExactly("ReadWriteOnce");
		assertThat((String) at(pvc, "spec.resources.requests.storage")).isEqualTo("1Gi");
		assertThat(volume(pod, "data")).containsEntry("persistentVolumeClaim", Map.of("claimName", "pulse-data"));
		assertThat(volumeMount(container, "data")).containsEntry("mountPath", "/data");
		assertThat(env(container, "SPRING_DATASOURCE_URL")).containsEntry("value", SQLITE_URL);
		assertThat(names(container)).doesNotContain("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD");
		assertThat(ofKind(objects, "PodDisruptionBudget")).as("one replica: no PDB by default").isEmpty();
		assertThat(pod).as("one replica: no default anti-affinity").doesNotContainKey("affinity");
	}

	@Test
	void persistenceOffShouldKeepSqliteOnAnEmptyDirWithoutAClaim() {
		List<Map<String, Object>> objects = render(PulseChart.CHART.resolve("ci/persistence-off-values.yaml"));
		Map<String, Object> pod = at(one(objects, "Deployment"), "spec.template.spec");

		assertThat(ofKind(objects, "PersistentVolumeClaim")).isEmpty();
		assertThat(volume(pod, "data")).containsEntry("emptyDir", Map.of());
		assertThat(env(at(pod, "containers.0"), "SPRING_DATASOURCE_URL")).containsEntry("value", SQLITE_URL);
	}

	@Test
	void postgresqlShouldTakeTheDatasourceFromTheExistingSecretWithoutAClaim() {
		List<Map<String, Object>> objects = render(PulseChart.CHART.resolve("ci/postgresql-values.yaml"));
		Map<String, Object> deployment = one(objects, "Deployment");
		Map<String, Object> pod = map(deployment, "spec.template.spec");
		Map<String, Object> container = at(pod, "containers.0");

		assertThat(ofKind(objects, "PersistentVolumeClaim")).isEmpty();
		assertThat((Integer) at(deployment, "spec.replicas")).isEqualTo(1);
		assertThat((String) at(deployment, "spec.strategy.type")).isEqualTo("RollingUpdate");
		assertThat(names(pod.get("volumes"))).doesNotContain("data");
		assertThat(names(container.get("volumeMounts"))).doesNotContain("data");
		assertThat(env(container, "SPRING_DATASOURCE_URL")).containsEntry("value",
				"jdbc:postgresql://postgres.db.svc:5432/pulse");
		assertThat(env(container, "SPRING_DATASOURCE_USERNAME")).containsEntry("valueFrom",
				Map.of("secretKeyRef", Map.of("name", "pulse-db", "key", "user")));
		assertThat(env(container, "SPRING_DATASOURCE_PASSWORD")).containsEntry("valueFrom",
				Map.of("secretKeyRef", Map.of("name", "pulse-db", "key", "pass")));
	}

	@Test
	void postgresqlWithThreeReplicasShouldSpreadThemRollThemAndKeepOneThroughEvictions() {
		List<Map<String, Object>> objects = render(PulseChart.CHART.resolve("ci/replicas-values.yaml"));
		Map<String, Object> deployment = one(objects, "Deployment");
		Map<String, Object> pod = map(deployment, "spec.template.spec");
		Map<String, Object> selector = map(deployment, "spec.selector.matchLabels");

		assertThat((Integer) at(deployment, "spec.replicas")).isEqualTo(3);
		assertThat(map(deployment, "spec.strategy"))
			.isEqualTo(Map.of("type", "RollingUpdate", "rollingUpdate", Map.of("maxSurge", 1, "maxUnavailable", 0)));
		assertThat(map(pod, "affinity")).isEqualTo(Map.of("podAntiAffinity",
				Map.of("preferredDuringSchedulingIgnoredDuringExecution",
						List.of(Map.of("weight", 100, "podAffinityTerm", Map.of("topologyKey", "kubernetes.io/hostname",
								"labelSelector", Map.of("matchLabels", selector)))))));
		assertThat(pod).containsEntry("terminationGracePeriodSeconds", 30);
		Map<String, Object> pdb = map(one(objects, "PodDisruptionBudget"), "spec");
		assertThat(pdb).containsEntry("minAvailable", 1).doesNotContainKey("maxUnavailable");
		assertThat(map(pdb, "selector.matchLabels")).isEqualTo(selector);
		assertThat(ofKind(objects, "PersistentVolumeClaim")).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valueSets")
	void everyReplicaShouldGetItsMemberIdAndAnAddressItsPeersReach(String name, Path file) {
		Map<String, Object> container = at(one(render(files(file)), "Deployment"), "spec.template.spec.containers.0");
		List<String> names = names(container);

		assertThat(env(container, "POD_IP")).containsEntry("valueFrom",
				Map.of("fieldRef", Map.of("fieldPath", "status.podIP")));
		assertThat(env(container, "PULSE_CLUSTER_MEMBER_ID")).containsEntry("valueFrom",
				Map.of("fieldRef", Map.of("fieldPath", "metadata.name")));
		assertThat(env(container, "PULSE_CLUSTER_ADDRESS")).containsEntry("value", "http://$(POD_IP):8080");
		assertThat(names.indexOf("POD_IP")).as("Kubernetes expands $(POD_IP) only if defined before")
			.isLessThan(names.indexOf("PULSE_CLUSTER_ADDRESS"));
		assertThat((Integer) at(container, "ports.0.containerPort")).isEqualTo(8080);
		assertThat(names).as("cluster.enabled null leaves it to Pulse").doesNotContain("PULSE_CLUSTER_ENABLED");
	}

	@Test
	void clusterEnabledShouldBePassedOnlyWhenSet(@TempDir Path dir) {
		for (String enabled : List.of("true", "false")) {
			Path values = PulseChart.write(dir, "cluster-" + enabled + ".yaml",
					"cluster:\n  enabled: " + enabled + "\n");
			Map<String, Object> container = at(one(render(values), "Deployment"), "spec.template.spec.containers.0");

			assertThat(env(container, "PULSE_CLUSTER_ENABLED")).containsEntry("value", enabled);
		}
	}

	@Test
	void givenAffinityShouldReplaceTheDefaultAntiAffinity(@TempDir Path dir) {
		Path values = PulseChart.write(dir, "affinity.yaml", """
				affinity:
				  nodeAffinity:
				    requiredDuringSchedulingIgnoredDuringExecution:
				      nodeSelectorTerms:
				        - matchExpressions:
				            - {key: pool, operator: In, values: [probes]}
				""");
		Map<String, Object> pod = at(
				one(render(PulseChart.CHART.resolve("ci/replicas-values.yaml"), values), "Deployment"),
				"spec.template.spec");

		assertThat(map(pod, "affinity")).containsOnlyKeys("nodeAffinity");
		assertThat((String) at(pod, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
				+ ".nodeSelectorTerms.0.matchExpressions.0.key"))
			.isEqualTo("pool");
	}

	@Test
	void disruptionBudgetShouldBeDisabledAndTunableWithSeveralReplicas(@TempDir Path dir) {
		Path replicas = PulseChart.CHART.resolve("ci/replicas-values.yaml");
		Path off = PulseChart.write(dir, "pdb-off.yaml", "podDisruptionBudget:\n  enabled: false\n");
		Path two = PulseChart.write(dir, "pdb-two.yaml", "podDisruptionBudget:\n  minAvailable: 2\n");

		assertThat(ofKind(render(replicas, off), "PodDisruptionBudget")).isEmpty();
		assertThat((Integer) at(one(render(replicas, two), "PodDisruptionBudget"), "spec.minAvailable")).isEqualTo(2);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "replicaCount: 3\n", "replicaCount: 2\npersistence:\n  enabled: false\n" })
	void severalReplicasWithSqliteShouldBeRefusedNamingBothKeys(String values, @TempDir Path dir) {
		Path file = PulseChart.write(dir, "sqlite-replicas.yaml", values);

		assertThatThrownBy(() -> PulseChart.template(file)).hasMessageContaining("schema")
			.hasMessageContaining("replicaCount: Must be less than or equal to 1")
			.hasMessageContaining("postgresql.enabled does not match: true");
		LintResult lint = PulseChart.lint(dir, file);
		assertThat(lint.isFailed()).isTrue();
		assertThat(String.join("\n", lint.getMessages())).contains("replicaCount: Must be less than or equal to 1")
			.contains("postgresql.enabled does not match: true");
	}

	@Test
	void postgresqlWithoutUrlOrSecretShouldFailToRender(@TempDir Path dir) {
		Path values = PulseChart.write(dir, "pg.yaml", "postgresql:\n  enabled: true\n");

		assertThatThrownBy(() -> PulseChart.template(values))
			.hasMessageContaining("postgresql.enabled needs postgresql.url and postgresql.existingSecret");
	}

	@Test
	void writeTokenShouldComeFromTheChartSecretOrAGeneratedOne() {
		List<Map<String, Object>> objects = render();
		Map<String, Object> secret = one(objects, "Secret");
		Map<String, Object> container = at(one(objects, "Deployment"), "spec.template.spec.containers.0");

		assertThat((String) at(secret, "metadata.name")).isEqualTo("pulse-api-token");
		String token = new String(java.util.Base64.getDecoder().decode((String) at(secret, "data.write-token")));
		assertThat(token).as("randAlphaNum 32").matches("[A-Za-z0-9]{32}");
		assertThat(env(container, "PULSE_API_WRITETOKEN")).containsEntry("valueFrom",
				Map.of("secretKeyRef", Map.of("name", "pulse-api-token", "key", "write-token")));
	}

	@Test
	void writeTokenShouldTakeAGivenValue(@TempDir Path dir) {
		Path values = PulseChart.write(dir, "token.yaml", "apiToken:\n  value: s3cr3t-token\n");
		Map<String, Object> secret = one(render(values), "Secret");

		assertThat(new String(java.util.Base64.getDecoder().decode((String) at(secret, "data.write-token"))))
			.isEqualTo("s3cr3t-token");
	}

	@Test
	void existingSecretShouldReplaceTheChartSecret() {
		List<Map<String, Object>> objects = render(PulseChart.CHART.resolve("ci/existing-secret-values.yaml"));
		Map<String, Object> container = at(one(objects, "Deployment"), "spec.template.spec.containers.0");

		assertThat(ofKind(objects, "Secret")).isEmpty();
		assertThat(env(container, "PULSE_API_WRITETOKEN")).containsEntry("valueFrom",
				Map.of("secretKeyRef", Map.of("name", "pulse-write-token", "key", "token")));
	}

	@Test
	void configShouldBeMountedAndPassedWithTheKubernetesProfile() {
		List<Map<String, Object>> objects = render();
		Map<String, Object> pod = at(one(objects, "Deployment"), "spec.template.spec");
		Map<String, Object> container = at(pod, "containers.0");

		assertThat(env(container, "SPRING_CONFIG_ADDITIONAL_LOCATION")).containsEntry("value",
				"file:/config/application.yaml");
		assertThat(volumeMount(container, "config")).containsEntry("mountPath", "/config")
			.containsEntry("readOnly", true);
		assertThat(volume(pod, "config")).containsEntry("configMap", Map.of("name", "pulse"));
		Map<String, Object> config = new Yaml().load(PulseChart.applicationYaml(objects));
		assertThat((String) at(config, "spring.profiles.active")).isEqualTo("kubernetes");
		assertThat((String) at(config, "spring.lifecycle.timeout-per-shutdown-phase")).isEqualTo("25s");
		assertThat(map(config, "pulse.targets")).containsOnlyKeys("pulse-heartbeat");
	}

	@Test
	void serviceAccountShouldNotMountItsToken() {
		Map<String, Object> account = one(render(), "ServiceAccount");

		assertThat(account).containsEntry("automountServiceAccountToken", false);
		assertThat((String) at(one(render(), "Deployment"), "spec.template.spec.serviceAccountName"))
			.isEqualTo("pulse");
	}

	@Test
	void discoveryShouldBeOffByDefaultWithNoRbacAndNoToken() {
		List<Map<String, Object>> objects = render();

		assertThat(ofKind(objects, "Role")).isEmpty();
		assertThat(ofKind(objects, "RoleBinding")).isEmpty();
		assertThat(ofKind(objects, "ClusterRole")).isEmpty();
		assertThat((Boolean) at(one(objects, "Deployment"), "spec.template.spec.automountServiceAccountToken"))
			.isFalse();
		assertThat(new Yaml().<Map<String, Object>>load(PulseChart.applicationYaml(objects)).get("pulse").toString())
			.doesNotContain("discovery");
	}

	@Test
	@SuppressWarnings("unchecked")
	void discoveryShouldMountTheTokenAndGrantListAndWatchInEachNamespaceOnly() {
		List<Map<String, Object>> objects = render(PulseChart.CHART.resolve("ci/discovery-values.yaml"));

		assertThat((Boolean) at(one(objects, "Deployment"), "spec.template.spec.automountServiceAccountToken"))
			.isTrue();
		assertThat(ofKind(objects, "ClusterRole")).isEmpty();
		List<Map<String, Object>> roles = ofKind(objects, "Role");
		assertThat(roles).extracting(role -> (String) at(role, "metadata.namespace"))
			.containsExactlyInAnyOrder("monitoring", "shop");
		for (Map<String, Object> role : roles) {
			assertThat((List<Map<String, Object>>) role.get("rules")).containsExactlyInAnyOrder(
					Map.of("apiGroups", List.of(""), "resources", List.of("services"), "verbs",
							List.of("list", "watch")),
					Map.of("apiGroups", List.of("discovery.k8s.io"), "resources", List.of("endpointslices"), "verbs",
							List.of("list", "watch")));
		}
		List<Map<String, Object>> bindings = ofKind(objects, "RoleBinding");
		assertThat(bindings).hasSize(2);
		for (Map<String, Object> binding : bindings) {
			assertThat(map(binding, "roleRef")).containsEntry("kind", "Role").containsEntry("name", "pulse-discovery");
			assertThat((List<Map<String, Object>>) binding.get("subjects"))
				.containsExactly(Map.of("kind", "ServiceAccount", "name", "pulse", "namespace", PulseChart.NAMESPACE));
		}
		Map<String, Object> config = new Yaml().load(PulseChart.applicationYaml(objects));
		assertThat(map(config, "pulse.discovery.kubernetes")).containsEntry("enabled", true)
			.containsEntry("namespaces", List.of("monitoring", "shop"))
			.containsEntry("service-selector", "team=shop");
		Map<String, Object> policy = one(objects, "NetworkPolicy");
		assertThat((List<String>) at(policy, "spec.policyTypes")).containsExactly("Ingress", "Egress");
		List<Map<String, Object>> egress = at(policy, "spec.egress");
		assertThat(egress).hasSize(2);
		assertThat(egress.get(1)).isEqualTo(Map.of("ports",
				List.of(Map.of("port", 443, "protocol", "TCP"), Map.of("port", 6443, "protocol", "TCP")), "to",
				List.of(Map.of("ipBlock", Map.of("cidr", "10.96.0.1/32")),
						Map.of("ipBlock", Map.of("cidr", "172.18.0.2/32")))));
	}

	@Test
	void discoveryWithoutNamespacesShouldWatchTheReleasesOwn(@TempDir Path dir) {
		List<Map<String, Object>> objects = render(
				PulseChart.write(dir, "discovery.yaml", "discovery:\n  kubernetes:\n    enabled: true\n"));

		assertThat(ofKind(objects, "Role")).singleElement()
			.satisfies(role -> assertThat((String) at(role, "metadata.namespace")).isEqualTo(PulseChart.NAMESPACE));
		Map<String, Object> config = new Yaml().load(PulseChart.applicationYaml(objects));
		assertThat(map(config, "pulse.discovery.kubernetes")).containsEntry("namespaces",
				List.of(PulseChart.NAMESPACE));
	}

	@Test
	void serviceShouldExposePort8080NamedHttp() {
		Map<String, Object> service = one(render(), "Service");

		assertThat((List<Object>) at(service, "spec.ports"))
			.containsExactly(Map.of("name", "http", "port", 8080, "targetPort", "http", "protocol", "TCP"));
	}

	@Test
	void checksumShouldChangeWhenATargetChangesAndOnlyThen(@TempDir Path dir) {
		String before = checksum(render());
		String same = checksum(
				render(PulseChart.write(dir, "same.yaml", "targets:\n  pulse-heartbeat:\n    interval: 30s\n")));
		String changed = checksum(
				render(PulseChart.write(dir, "changed.yaml", "targets:\n  pulse-heartbeat:\n    interval: 20s\n")));

		assertThat(before).matches("[0-9a-f]{64}");
		assertThat(same).isEqualTo(before);
		assertThat(changed).isNotEqualTo(before);
	}

	private static String checksum(List<Map<String, Object>> objects) {
		return (String) map(one(objects, "Deployment"), "spec.template.metadata.annotations").get("checksum/config");
	}

	@Test
	void monitoringObjectsShouldBeOffByDefault() {
		List<Map<String, Object>> objects = render();

		assertThat(objects).extracting(o -> o.get("kind"))
			.doesNotContain("ServiceMonitor", "PrometheusRule", "PodDisruptionBudget", "NetworkPolicy", "Ingress");
	}

	@Test
	void serviceMonitorShouldScrapeThePrometheusEndpoint() {
		Map<String, Object> monitor = one(render(PulseChart.CHART.resolve("ci/servicemonitor-rule-values.yaml")),
				"ServiceMonitor");

		assertThat(map(monitor, "metadata.labels")).containsEntry("release", "kube-prometheus-stack");
		assertThat(map(monitor, "spec.endpoints.0")).containsEntry("port", "http")
			.containsEntry("path", "/actuator/prometheus")
			.containsEntry("interval", "15s")
			.containsEntry("scrapeTimeout", "5s");
	}

	@Test
	@SuppressWarnings("unchecked")
	void prometheusRuleGroupsShouldEqualTheRuleFile() throws IOException {
		Map<String, Object> rule = one(render(PulseChart.CHART.resolve("ci/servicemonitor-rule-values.yaml")),
				"PrometheusRule");
		Map<String, Object> ruleFile = new Yaml()
			.load(Files.readString(PulseChart.CHART.resolve("rules/pulse-rules.yaml")));

		assertThat((List<Object>) at(rule, "spec.groups")).isNotEmpty().isEqualTo(ruleFile.get("groups"));
		assertThat((String) at(rule, "apiVersion")).isEqualTo("monitoring.coreos.com/v1");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valueSets")
	void dashboardConfigMapShouldHoldTheDashboardJson(String name, Path file) throws IOException {
		List<Map<String, Object>> dashboards = ofKind(render(files(file)), "ConfigMap").stream()
			.filter(o -> map(o, "data").containsKey("pulse.json"))
			.toList();

		assertThat(dashboards).hasSize(1);
		Map<String, Object> dashboard = dashboards.get(0);
		assertThat(map(dashboard, "metadata.labels")).containsEntry("grafana_dashboard", "1");
		ObjectMapper json = new ObjectMapper();
		assertThat(json.readTree((String) map(dashboard, "data").get("pulse.json")))
			.isEqualTo(json.readTree(Files.readString(PulseChart.CHART.resolve("dashboards/pulse.json"))));
	}

	@Test
	void dashboardShouldBeOptional(@TempDir Path dir) {
		List<Map<String, Object>> objects = render(
				PulseChart.write(dir, "nodash.yaml", "dashboard:\n  enabled: false\n"));

		assertThat(ofKind(objects, "ConfigMap")).hasSize(1);
	}

	@Test
	void ingressNetworkPolicyAndPdbShouldRenderWhenEnabled() {
		List<Map<String, Object>> objects = render(PulseChart.CHART.resolve("ci/ingress-netpol-pdb-values.yaml"));

		Map<String, Object> ingress = one(objects, "Ingress");
		assertThat((String) at(ingress, "spec.rules.0.host")).isEqualTo("pulse.example.com");
		assertThat(map(ingress, "spec.rules.0.http.paths.0.backend.service"))
			.isEqualTo(Map.of("name", "pulse", "port", Map.of("number", 8080)));
		Map<String, Object> policy = one(objects, "NetworkPolicy");
		assertThat((List<String>) at(policy, "spec.policyTypes")).as("egress stays open for probes")
			.containsExactly("Ingress");
		assertThat((List<Object>) at(policy, "spec.ingress.0.from")).hasSize(2);
		assertThat(map(policy, "spec.ingress.0.ports.0")).isEqualTo(Map.of("port", "http", "protocol", "TCP"));
		assertThat(map(one(objects, "PodDisruptionBudget"), "spec")).as("one replica: minAvailable would block drains")
			.containsEntry("maxUnavailable", 1)
			.doesNotContainKey("minAvailable");
	}

	@Test
	void targetNamesWithDotsShouldBeBracketedForSpringBoot() {
		Map<String, Object> config = new Yaml()
			.load(PulseChart.applicationYaml(render(PulseChart.CHART.resolve("ci/postgresql-values.yaml"))));

		assertThat(map(config, "pulse.targets")).containsOnlyKeys("pulse-heartbeat", "checkout", "[api.v2]");
		assertThat((String) at(config, "pulse.defaults.interval")).isEqualTo("15s");
	}

	@Test
	void exampleTargetShouldBeRemovableWithNull(@TempDir Path dir) {
		Map<String, Object> config = new Yaml().load(PulseChart
			.applicationYaml(render(PulseChart.write(dir, "no-example.yaml", "targets:\n  pulse-heartbeat: null\n"))));

		assertThat(map(config, "pulse.targets")).isEmpty();
	}

	static Stream<Arguments> invalidValues() {
		return Stream.of(Arguments.of("replicaCount above 1 with SQLite", "replicaCount: 2\n", "replicaCount"),
				Arguments.of("a wrong type", "service:\n  port: abc\n", "port"),
				Arguments.of("an unknown top-level key", "replicas: 1\n", "replicas"),
				Arguments.of("a misspelt target key", "targets:\n  x:\n    url: http://x\n    timout: 1s\n", "timout"),
				Arguments.of("a bad target name", "targets:\n  Bad_Name:\n    url: http://x\n", "Bad_Name"),
				Arguments.of("a bad namespace to discover", "discovery:\n  kubernetes:\n    namespaces: [Shop_1]\n",
						"discovery.kubernetes.namespaces.0"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidValues")
	void schemaShouldRejectInvalidValuesInTemplate(String name, String values, String key, @TempDir Path dir) {
		Path file = PulseChart.write(dir, "invalid.yaml", values);

		assertThatThrownBy(() -> PulseChart.template(file)).hasMessageContaining("schema").hasMessageContaining(key);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidValues")
	void schemaShouldRejectInvalidValuesInLint(String name, String values, String key, @TempDir Path dir) {
		Path file = PulseChart.write(dir, "invalid.yaml", values);

		LintResult result = PulseChart.lint(dir, file);

		assertThat(result.isFailed()).isTrue();
		assertThat(String.join("\n", result.getMessages())).contains("schema").contains(key);
	}

	@Test
	void replicaCountShouldBeCappedAtOneWithSqliteOnlyAndSayWhy() throws IOException {
		Map<String, Object> schema = new Yaml().load(Files.readString(PulseChart.CHART.resolve("values.schema.json")));

		assertThat(schema).containsEntry("additionalProperties", false);
		assertThat(map(schema, "properties.replicaCount")).doesNotContainKey("maximum");
		assertThat((String) at(schema, "properties.replicaCount.description")).contains("only with postgresql.enabled");
		Map<String, Object> rule = at(schema, "allOf.0");
		assertThat((String) rule.get("description")).contains("SQLite allows one writer");
		assertThat((Object) at(rule, "if.properties.postgresql.properties.enabled")).isEqualTo(Map.of("const", false));
		assertThat((Object) at(rule, "then.properties.replicaCount")).isEqualTo(Map.of("maximum", 1));
	}

	@Test
	void everyValueShouldBeDocumentedByAPrecedingCommentStartingWithItsName() throws IOException {
		List<String> lines = Files.readAllLines(PulseChart.CHART.resolve("values.yaml"));
		Set<String> documented = new java.util.HashSet<>();
		for (String line : lines) {
			var m = java.util.regex.Pattern.compile("^\\s*# -- ([A-Za-z0-9.]+):").matcher(line);
			if (m.find()) {
				documented.add(m.group(1));
			}
		}
		Map<String, Object> values = PulseChart.load(PulseChart.CHART.resolve("values.yaml"));
		for (String path : leaves(values, "")) {
			assertThat(documented).as("values.yaml documents %s", path)
				.anyMatch(d -> d.equals(path) || path.startsWith(d + "."));
		}
	}

	@Test
	void appVersionShouldFollowTheMavenProjectVersion() throws IOException {
		String pom = Files.readString(Path.of("pom.xml"));
		var version = java.util.regex.Pattern.compile("<artifactId>pulse</artifactId>\\s*<version>([^<]+)</version>")
			.matcher(pom);
		assertThat(version.find()).isTrue();
		Map<String, Object> chart = PulseChart.load(PulseChart.CHART.resolve("Chart.yaml"));

		assertThat(chart).containsEntry("appVersion", version.group(1))
			.containsEntry("apiVersion", "v2")
			.containsEntry("name", "pulse")
			.containsEntry("version", "0.1.0");
	}

	@Test
	void readmeShouldListEveryDocumentedValue() throws IOException {
		String readme = Files.readString(PulseChart.CHART.resolve("README.md"));
		var documented = java.util.regex.Pattern.compile("(?m)^\\s*# -- ([A-Za-z0-9.]+):")
			.matcher(Files.readString(PulseChart.CHART.resolve("values.yaml")));
		int count = 0;
		while (documented.find()) {
			assertThat(readme).contains("| `" + documented.group(1) + "` |");
			count++;
		}
		assertThat(count).isGreaterThan(50);
	}

	@SuppressWarnings("unchecked")
	private static List<String> leaves(Map<String, Object> map, String prefix) {
		List<String> paths = new java.util.ArrayList<>();
		map.forEach((key, value) -> {
			String path = prefix + key;
			if (value instanceof Map<?, ?> child && !child.isEmpty() && !isFreeMap(path)) {
				paths.addAll(leaves((Map<String, Object>) child, path + "."));
			}
			else {
				paths.add(path);
			}
		});
		return paths;
	}

	private static boolean isFreeMap(String path) {
		return Set
			.of("targets", "podSecurityContext", "securityContext", "resources", "livenessProbe", "readinessProbe",
					"startupProbe")
			.contains(path);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> env(Map<String, Object> container, String name) {
		return ((List<Map<String, Object>>) container.get("env")).stream()
			.filter(e -> name.equals(e.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no env " + name));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> volume(Map<String, Object> pod, String name) {
		return ((List<Map<String, Object>>) pod.get("volumes")).stream()
			.filter(v -> name.equals(v.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no volume " + name));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> volumeMount(Map<String, Object> container, String name) {
		return ((List<Map<String, Object>>) container.get("volumeMounts")).stream()
			.filter(v -> name.equals(v.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no volumeMount " + name));
	}

	@SuppressWarnings("unchecked")
	private static List<String> names(Object list) {
		if (list instanceof Map<?, ?> container) {
			list = container.get("env");
		}
		return ((List<Map<String, Object>>) list).stream().map(e -> (String) e.get("name")).toList();
	}

}
