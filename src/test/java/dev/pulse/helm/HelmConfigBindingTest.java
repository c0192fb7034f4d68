package dev.pulse.helm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.pulse.api.ApiLimits;
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
			SsrfProperties.class, ApiLimits.class, ApiSecurityProperties.class })
	@Import({ TargetRegistry.class, TestProbers.RetryReasonValidatorConfiguration.class })
	static class Config {

	}

}
