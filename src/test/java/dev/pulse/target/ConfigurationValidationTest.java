package dev.pulse.target;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
import dev.pulse.probe.FailureReason;
import dev.pulse.probe.ResultsProperties;
import dev.pulse.probe.RetryBudgetProperties;
import dev.pulse.probe.TestProbers;
import dev.pulse.routing.RoutingProperties;
import dev.pulse.security.SsrfProperties;
import dev.pulse.transport.TransportProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
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

	@Test // #20 item 9: each record used to fail on its own, so the first hid the rest
	void oneStartShouldReportEveryInvalidKeyOfEveryKindAtOnce(CapturedOutput output) {
		SpringApplicationBuilder application = new SpringApplicationBuilder(Config.class).web(WebApplicationType.NONE)
			.properties("spring.config.location=optional:classpath:none/", "spring.main.banner-mode=off",
					"pulse.health.transition-interval=1ms", "pulse.transport.max-connections-per-host=0",
					"pulse.results.history=lots", "pulse.security.ssrf.deny[0]=10.0.0.1/8",
					"pulse.targets.api.url=http://127.0.0.1:8080/health",
					"pulse.targets.api.conditions[0]=[STAUS] == 200", "pulse.targets.web.url=ftp://user:hunter2@host/",
					"pulse.targets.web.interval=0s", "pulse.defaults.timeout=0s",
					"pulse.targets.db.url=http://127.0.0.1:5432/", "pulse.targets.db.retry.retry-on[0]=timeouts");

		assertThatExceptionOfType(InvalidConfigurationException.class).isThrownBy(() -> application.run().close())
			.satisfies(ex -> assertThat(ex.violations()).containsExactlyInAnyOrder(
					violation("pulse.defaults.timeout",
							"must be longer than or equal to 1 milli (was 0s" + from("defaults.timeout")),
					violation("pulse.targets.web.url",
							"must be an http, https, tcp, tls, grpc or grpcs URL (was ftp://******@host/"
									+ from("targets.web.url")),
					violation("pulse.health.transition-interval",
							"must be longer than or equal to 100 millis (was 1ms" + from("health.transition-interval")),
					violation("pulse.results.history",
							"cannot be converted to int: For input string: \"lots\" (was lots"
									+ from("results.history")),
					violation("pulse.security.ssrf.deny[0]",
							"'10.0.0.1/8' is not a CIDR range: host bits are set; the range is 10.0.0.0/8"),
					violation("pulse.transport.max-connections-per-host",
							"must be greater than or equal to 1 (was 0" + from("transport.max-connections-per-host")),
					violation("pulse.targets.web.interval", "interval (0s) must be at least 100ms"),
					violation("pulse.targets.web.timeout", "timeout (5s) must not exceed the interval (0s)"),
					violation("pulse.targets.api.conditions[0]",
							"unknown placeholder [STAUS] at position 0 in '[STAUS] == 200'"),
					violation("pulse.targets.db.retry.retry-on",
							"'timeouts' is not a failure reason; use one of " + Stream.of(FailureReason.values())
								.map(FailureReason::value)
								.collect(Collectors.joining(", ")))));

		String printed = output.getOut() + output.getErr();
		assertThat(printed).containsOnlyOnce("APPLICATION FAILED TO START")
			.containsOnlyOnce("Invalid Pulse configuration:")
			.doesNotContain("hunter2");
	}

	private static InvalidTargetException.Violation violation(String key, String message) {
		return new InvalidTargetException.Violation(key, message);
	}

	private static String from(String key) {
		return ", from \"pulse." + key + "\" from property source \"defaultProperties\")";
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties({ PulseProperties.class, ImportProperties.class, TransportProperties.class,
			ResultsProperties.class, HealthProperties.class, RoutingProperties.class, RetryBudgetProperties.class,
			SsrfProperties.class, TargetsFileProperties.class })
	@Import({ TargetRegistry.class, TestProbers.RetryReasonValidatorConfiguration.class })
	static class Config {

	}

}
