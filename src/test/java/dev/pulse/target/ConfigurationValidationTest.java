package dev.pulse.target;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.pulse.health.HealthProperties;
import dev.pulse.probe.ResultsProperties;
import dev.pulse.probe.RetryBudgetProperties;
import dev.pulse.probe.TestProbers;
import dev.pulse.routing.RoutingProperties;
import dev.pulse.transport.TransportProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Start-up with each file under {@code config/}: every {@code invalid-*.yaml} must stop
 * start-up with the exact messages its {@code # expect:} lines name; {@code valid.yaml}
 * must resolve.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationValidationTest {

	private static final Path CONFIG = Path.of("src/test/resources/config");

	static Stream<Path> invalidFiles() throws IOException {
		return Files.list(CONFIG).filter(p -> p.getFileName().toString().startsWith("invalid-")).sorted();
	}

	private static ConfigurableApplicationContext start(String file) {
		return new SpringApplicationBuilder(Config.class).web(WebApplicationType.NONE)
			.properties("spring.config.location=classpath:config/" + file, "spring.main.banner-mode=off")
			.run();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidFiles")
	void invalidConfigurationShouldStopStartUpNamingTheKeyAndTheRule(Path file, CapturedOutput output)
			throws IOException {
		List<String> expected = Files.readAllLines(file)
			.stream()
			.filter(line -> line.startsWith("# expect: "))
			.map(line -> line.substring("# expect: ".length()))
			.toList();
		assertThat(expected).as("a file without '# expect:' lines tests nothing").isNotEmpty();

		assertThatThrownBy(() -> start(file.getFileName().toString()).close()).isInstanceOf(RuntimeException.class);

		assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START").contains(expected);
	}

	@Test
	void validConfigurationShouldResolveEveryTargetAgainstTheDefaults() {
		try (ConfigurableApplicationContext context = start("valid.yaml")) {
			TargetRegistry registry = context.getBean(TargetRegistry.class);

			Target api = registry.find("api").orElseThrow();
			assertThat(api.service()).isEqualTo("api");
			assertThat(api.url()).isEqualTo(URI.create("http://127.0.0.1:8080/health"));
			assertThat(api.method()).isEqualTo("GET");
			assertThat(api.interval()).isEqualTo(Duration.ofSeconds(30));
			assertThat(api.timeout()).isEqualTo(Duration.ofSeconds(4));
			assertThat(api.jitter()).as("10% of the interval").isEqualTo(Duration.ofSeconds(3));
			assertThat(api.conditions()).extracting(c -> c.text()).containsExactly("[STATUS] == 200");
			assertThat(api.weight()).isEqualTo(100);
			assertThat(api.freshConnection()).isFalse();
			assertThat(api.insecureSkipVerify()).isFalse();
			assertThat(api.enabled()).isTrue();
			assertThat(api.source()).isEqualTo(Target.Source.CONFIG);
			assertThat(api.retry())
				.isEqualTo(new RetryPolicy(2, Duration.ofMillis(100), 2.0, 0.5, Duration.ofSeconds(2),
						List.of("timeout", "connection-refused", "connection-reset", "premature-close")));

			Target web = registry.find("web").orElseThrow();
			assertThat(web.service()).isEqualTo("storefront");
			assertThat(web.method()).isEqualTo("HEAD");
			assertThat(web.headers()).isEqualTo(Map.of("Authorization", "Bearer token"));
			assertThat(web.interval()).isEqualTo(Duration.ofSeconds(2));
			assertThat(web.timeout()).isEqualTo(Duration.ofSeconds(1));
			assertThat(web.jitter()).isEqualTo(Duration.ofMillis(100));
			assertThat(web.conditions()).extracting(c -> c.text())
				.containsExactly("[STATUS] == 204", "[RESPONSE_TIME] < 300ms");
			assertThat(web.weight()).isEqualTo(7);
			assertThat(web.freshConnection()).isTrue();
			assertThat(web.insecureSkipVerify()).isTrue();
			assertThat(web.enabled()).isFalse();
			assertThat(web.retry()).isEqualTo(new RetryPolicy(3, Duration.ofMillis(100), 2.0, 0.5,
					Duration.ofSeconds(2), List.of("timeout", "condition-failed")));
			assertThat(registry.all()).extracting(Target::name).containsExactly("api", "web");

			TransportProperties transport = context.getBean(TransportProperties.class);
			assertThat(transport.maxConnectionsPerHost()).isEqualTo(8);
			assertThat(transport.maxBodyBytes().toBytes()).isEqualTo(1024 * 1024);
			assertThat(context.getBean(ResultsProperties.class).history()).isEqualTo(100);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ PulseProperties.class, ImportProperties.class, TransportProperties.class,
			ResultsProperties.class, HealthProperties.class, RoutingProperties.class, RetryBudgetProperties.class })
	@Import({ TargetRegistry.class, TestProbers.RetryReasonValidatorConfiguration.class })
	static class Config {

	}

}
