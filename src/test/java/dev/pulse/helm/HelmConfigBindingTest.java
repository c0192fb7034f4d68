package dev.pulse.helm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import dev.pulse.api.ApiLimits;
import dev.pulse.discovery.KubernetesDiscoveryProperties;
import dev.pulse.health.HealthProperties;
import dev.pulse.probe.ResultsProperties;
import dev.pulse.probe.RetryBudgetProperties;
import dev.pulse.probe.TestProbers;
import dev.pulse.routing.RoutingProperties;
import dev.pulse.security.ApiSecurityProperties;
import dev.pulse.security.SsrfProperties;
import dev.pulse.target.ImportProperties;
import dev.pulse.target.PulseProperties;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;
import dev.pulse.transport.TransportProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The application.yaml that the chart renders into its ConfigMap must be one that Pulse
 * accepts at start-up: it is bound and validated into Pulse's own configuration records,
 * with Pulse's own classpath application.yaml underneath, exactly as in the pod
 * ({@code spring.config.additional-location}).
 */
class HelmConfigBindingTest {

	static Stream<Arguments> valueSets() {
		return Stream.concat(Stream.of(Arguments.of("defaults", null)),
				PulseChart.ciValues().map(p -> Arguments.of(p.getFileName().toString(), p)));
	}

	private static ConfigurableApplicationContext start(Path dir, Path... valuesFiles) {
		Path config = PulseChart.write(dir, "application.yaml",
				PulseChart.applicationYaml(PulseChart.render(valuesFiles)));
		return new SpringApplicationBuilder(Config.class).web(WebApplicationType.NONE)
			.properties("spring.config.additional-location=file:" + config.toAbsolutePath(),
					"spring.main.banner-mode=off")
			.run();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("valueSets")
	void renderedConfigurationShouldStartPulsesConfiguration(String name, Path file, @TempDir Path dir) {
		Path[] files = (file != null) ? new Path[] { file } : new Path[0];
		try (ConfigurableApplicationContext context = start(dir, files)) {
			assertThat(context.getEnvironment().getActiveProfiles()).containsExactly("kubernetes");
			TargetRegistry registry = context.getBean(TargetRegistry.class);
			assertThat(registry.all()).as("the embedded self demo target is off")
				.isNotEmpty()
				.extracting(Target::name)
				.doesNotContain("self");
			assertThat(context.getBean(TransportProperties.class)).isNotNull();
			assertThat(context.getBean(HealthProperties.class)).isNotNull();
			assertThat(context.getBean(RoutingProperties.class)).isNotNull();
		}
	}

	@Test
	void defaultTargetShouldBindAsWritten(@TempDir Path dir) {
		try (ConfigurableApplicationContext context = start(dir)) {
			Target heartbeat = context.getBean(TargetRegistry.class).find("pulse-heartbeat").orElseThrow();
			assertThat(heartbeat.url()).hasToString("http://127.0.0.1:8080/heartbeat");
			assertThat(heartbeat.service()).isEqualTo("pulse");
			assertThat(heartbeat.interval()).isEqualTo(Duration.ofSeconds(30));
			assertThat(heartbeat.timeout()).isEqualTo(Duration.ofSeconds(2));
			assertThat(heartbeat.conditions()).extracting(c -> c.text())
				.containsExactly("[STATUS] == 200", "[RESPONSE_TIME] < 1000");
		}
	}

	@Test
	void postgresqlExampleShouldBindEveryTargetAndPulseSetting(@TempDir Path tmp) {
		Path dir = PulseChart.CHART;
		try (ConfigurableApplicationContext context = start(tmp, dir.resolve("ci/postgresql-values.yaml"))) {
			TargetRegistry registry = context.getBean(TargetRegistry.class);
			assertThat(registry.all()).extracting(Target::name)
				.containsExactlyInAnyOrder("api.v2", "checkout", "pulse-heartbeat");
			Target api = registry.find("api.v2").orElseThrow();
			assertThat(api.method()).isEqualTo("HEAD");
			assertThat(api.freshConnection()).isTrue();
			assertThat(api.interval()).as("pulse.defaults.interval").isEqualTo(Duration.ofSeconds(15));
			assertThat(api.retry().maxAttempts()).isEqualTo(3);
			Target checkout = registry.find("checkout").orElseThrow();
			assertThat(checkout.conditions()).hasSize(3);
			assertThat(context.getBean(TransportProperties.class).maxConnectionsPerHost()).isEqualTo(4);
			assertThat(context.getBean(HealthProperties.class).unhealthyThreshold()).isEqualTo(2);
			assertThat(context.getBean(RoutingProperties.class).latencyTarget()).isEqualTo(Duration.ofMillis(150));
		}
	}

	@Test
	void discoveryValuesShouldBindToPulsesDiscoveryProperties(@TempDir Path tmp) {
		try (ConfigurableApplicationContext context = start(tmp,
				PulseChart.CHART.resolve("ci/discovery-values.yaml"))) {
			KubernetesDiscoveryProperties discovery = context.getBean(KubernetesDiscoveryProperties.class);
			assertThat(discovery.enabled()).isTrue();
			assertThat(discovery.namespaces()).containsExactly("monitoring", "shop");
			assertThat(discovery.serviceSelector()).isEqualTo("team=shop");
			assertThat(context.getBean(SsrfProperties.class).allow()).containsExactly("10.244.0.0/16");
		}
		try (ConfigurableApplicationContext context = start(tmp)) {
			assertThat(context.getBean(KubernetesDiscoveryProperties.class).enabled()).isFalse();
		}
	}

	@Test
	void invalidTargetShouldRenderButFailPulsesStartUpWithItsMessage(@TempDir Path dir) {
		Path values = PulseChart.write(dir, "invalid-target.yaml", """
				targets:
				  api:
				    url: http://api.shop.svc:8080/health
				    interval: 5s
				    timeout: 10s
				""");

		assertThat(PulseChart.applicationYaml(PulseChart.render(values))).contains("timeout: 10s");
		assertThatThrownBy(() -> start(dir, values).close()).satisfies(ex -> assertThat(messages(ex))
			.anyMatch(m -> m.contains("pulse.targets.api.timeout: timeout (10s) must not exceed the interval (5s)")));
	}

	@Test
	void invalidPulseSettingShouldRenderButFailPulsesStartUp(@TempDir Path dir) {
		Path values = PulseChart.write(dir, "invalid-transport.yaml", """
				pulse:
				  transport:
				    max-connections-per-host: 0
				""");

		assertThatThrownBy(() -> start(dir, values).close()).satisfies(ex -> assertThat(messages(ex))
			.anyMatch(m -> m.contains("maxConnectionsPerHost") || m.contains("max-connections-per-host")));
	}

	/**
	 * The cluster variables of the Deployment, as the kubelet passes them (downward API
	 * filled in, {@code $(POD_IP)} expanded), must reach {@code pulse.cluster.*} through
	 * Spring Boot's environment-variable mapping, bound into a record as Pulse's cluster
	 * properties are.
	 */
	@Test
	@SuppressWarnings("unchecked")
	void clusterEnvironmentShouldBindToPulsesClusterKeys(@TempDir Path dir) {
		Path values = PulseChart.write(dir, "cluster.yaml", "cluster:\n  enabled: true\n");
		Map<String, Object> container = PulseChart.at(PulseChart
			.one(PulseChart.render(PulseChart.CHART.resolve("ci/replicas-values.yaml"), values), "Deployment"),
				"spec.template.spec.containers.0");
		Map<String, String> downwardApi = Map.of("metadata.name", "pulse-6f9c8d7b5-x2kqz", "status.podIP",
				"10.42.0.17");
		Map<String, Object> env = new LinkedHashMap<>();
		for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
			String name = (String) variable.get("name");
			if (name.equals("POD_IP") || name.startsWith("PULSE_CLUSTER_")) {
				String value = (variable.get("value") != null) ? (String) variable.get("value")
						: downwardApi.get(PulseChart.<String>at(variable, "valueFrom.fieldRef.fieldPath"));
				for (Map.Entry<String, Object> defined : env.entrySet()) {
					value = value.replace("$(" + defined.getKey() + ")", (String) defined.getValue());
				}
				env.put(name, value);
			}
		}
		Binder binder = new Binder(ConfigurationPropertySources.from(
				new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env)));

		ClusterKeys cluster = binder.bind("pulse.cluster", ClusterKeys.class).get();

		assertThat(cluster).isEqualTo(new ClusterKeys(true, "pulse-6f9c8d7b5-x2kqz", "http://10.42.0.17:8080"));
	}

	/** The keys of Pulse's pulse.cluster.* that the chart sets. */
	record ClusterKeys(Boolean enabled, String memberId, String address) {
	}

	private static List<String> messages(Throwable ex) {
		List<String> messages = new ArrayList<>();
		for (Throwable t = ex; t != null; t = t.getCause()) {
			messages.add(String.valueOf(t.getMessage()));
		}
		return messages;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ PulseProperties.class, ImportProperties.class, TransportProperties.class,
			ResultsProperties.class, HealthProperties.class, RoutingProperties.class, RetryBudgetProperties.class,
			SsrfProperties.class, ApiLimits.class, ApiSecurityProperties.class, KubernetesDiscoveryProperties.class })
	@Import({ TargetRegistry.class, TestProbers.RetryReasonValidatorConfiguration.class })
	static class Config {

	}

}
