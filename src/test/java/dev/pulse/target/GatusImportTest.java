package dev.pulse.target;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code pulse.import.gatus-config}: a Gatus config.yaml becomes Pulse targets. */
@ExtendWith(OutputCaptureExtension.class)
class GatusImportTest {

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(Config.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.config.location=optional:classpath:none.yaml")
			.properties(properties)
			.run();
	}

	@Test
	void gatusEndpointsShouldBecomeTargetsWithTheirSettings(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start(
				"pulse.import.gatus-config=src/test/resources/gatus/config.yaml",
				"pulse.targets.overridden.url=http://127.0.0.1:9999/pulse")) {
			TargetRegistry registry = context.getBean(TargetRegistry.class);

			assertThat(registry.all()).extracting(Target::name)
				.containsExactly("backend-core-api", "disabled-one", "overridden", "slow-interval", "tcp-check",
						"tls-check", "website");
			Target api = registry.find("backend-core-api").orElseThrow();
			assertThat(api.service()).isEqualTo("backend");
			assertThat(api.url()).isEqualTo(URI.create("https://127.0.0.1:8443/health"));
			assertThat(api.method()).isEqualTo("POST");
			assertThat(api.headers()).isEqualTo(Map.of("Authorization", "Bearer " + System.getenv("HOME")));
			assertThat(api.body()).isEqualTo("{\"ping\":true}");
			assertThat(api.interval()).isEqualTo(Duration.ofSeconds(90));
			assertThat(api.timeout()).isEqualTo(Duration.ofSeconds(3));
			assertThat(api.insecureSkipVerify()).isTrue();
			assertThat(api.conditions()).extracting(c -> c.text())
				.containsExactly("[STATUS] == 200", "[RESPONSE_TIME] < 300");
			Target tcp = registry.find("tcp-check").orElseThrow();
			assertThat(tcp.isTcp()).isTrue();
			assertThat(tcp.tcp().send()).as("Gatus's body is sent once connected")
				.isEqualTo("PING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			assertThat(tcp.conditions()).extracting(c -> c.text()).containsExactly("[CONNECTED] == true");
			Target tls = registry.find("tls-check").orElseThrow();
			assertThat(tls.kind()).isEqualTo(Target.Kind.TLS);
			assertThat(tls.conditions()).extracting(c -> c.text())
				.containsExactly("[CONNECTED] == true", "[CERTIFICATE_EXPIRATION] > 48h");
			Target website = registry.find("website").orElseThrow();
			assertThat(website.service()).isEqualTo("website");
			assertThat(website.interval()).as("Gatus's default interval").isEqualTo(Duration.ofSeconds(60));
			assertThat(website.timeout()).as("Gatus's default client timeout").isEqualTo(Duration.ofSeconds(10));
			assertThat(registry.find("slow-interval").orElseThrow().timeout()).as("capped at the interval")
				.isEqualTo(Duration.ofSeconds(5));
			assertThat(registry.find("disabled-one").orElseThrow().enabled()).isFalse();
			assertThat(registry.find("overridden").orElseThrow().url())
				.isEqualTo(URI.create("http://127.0.0.1:9999/pulse"));

			assertThat(output).contains("Imported Gatus endpoint 'backend/Core API' as target 'backend-core-api'")
				.contains("'storage' is not supported by Pulse and was ignored")
				.contains("'alerting' is not supported by Pulse and was ignored")
				.contains("Gatus endpoint 'backend/Core API': 'alerts' is not supported by Pulse and was ignored")
				.contains("Gatus endpoint 'backend/Core API': 'client.ignore-redirect' is not supported")
				.contains("Gatus endpoint 'website': 'ui' is not supported by Pulse and was ignored")
				.contains("Gatus endpoint 'dns-check': url '8.8.8.8' is not http, https, tcp or tls")
				.contains("client timeout 20s exceeds the interval 5s")
				.contains("pulse.targets.overridden overrides the Gatus endpoint imported under the same name");
		}
	}

	@ParameterizedTest
	@CsvSource({ "missing.yaml, cannot be read", "not-a-mapping.yaml, is not a Gatus configuration",
			"bad-interval.yaml, endpoint 'api': interval 'soon' is not a duration" })
	void unreadableGatusConfigShouldStopStartUp(String file, String problem, CapturedOutput output) {
		assertThatThrownBy(() -> start("pulse.import.gatus-config=src/test/resources/gatus/" + file).close())
			.hasRootCauseInstanceOf(InvalidTargetException.class);

		assertThat(output).contains("pulse.import.gatus-config: 'src/test/resources/gatus/" + file + "' " + problem);
	}

	@ParameterizedTest
	@CsvSource({ "'', Core API, core-api", "backend, Core API, backend-core-api", "'', --Weird__Name!!, weird__name",
			"'', ÄÖÜ, endpoint", "'', a.b_c-d, a.b_c-d" })
	void gatusNamesShouldBecomeValidTargetNames(String group, String name, String expected) {
		String targetName = GatusConfigImporter.targetName(group.isEmpty() ? null : group, name);

		assertThat(targetName).isEqualTo(expected).matches(TargetResolver.NAME);
	}

	@Test
	void longGatusNamesShouldBeCutToTheNameLimit() {
		String targetName = GatusConfigImporter.targetName(null, "x".repeat(100));

		assertThat(targetName).hasSize(63).matches(TargetResolver.NAME);
		assertThat(List.of(targetName)).isNotEmpty();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ PulseProperties.class, ImportProperties.class })
	@Import(TargetRegistry.class)
	static class Config {

	}

}
