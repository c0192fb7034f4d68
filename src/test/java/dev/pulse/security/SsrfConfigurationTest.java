package dev.pulse.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import dev.pulse.probe.FailureReason;
import dev.pulse.probe.ProbeResult;
import dev.pulse.probe.TestProbers;
import dev.pulse.support.FaultServer;
import dev.pulse.target.ImportProperties;
import dev.pulse.target.InvalidTargetException;
import dev.pulse.target.PulseProperties;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;
import dev.pulse.transport.ProbeTransport;
import dev.pulse.transport.TransportProperties;

import static dev.pulse.support.TestTargets.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code pulse.security.ssrf.*} bound at start-up: defaults, overrides, invalid ranges
 * stopping start-up with their keys, and the policy reaching the registry's validators
 * and the transport's guarded clients.
 */
@ExtendWith(OutputCaptureExtension.class)
class SsrfConfigurationTest {

	private static final PulseProperties.Defaults DEFAULTS = new PulseProperties.Defaults(Duration.ofSeconds(10),
			Duration.ofSeconds(5), null, List.of("[STATUS] == 200"), null);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(SecurityConfig.class);

	@Test
	void defaultsShouldBindTheFullDenyListAndNoAllow() {
		this.runner.run(context -> {
			SsrfProperties properties = context.getBean(SsrfProperties.class);
			assertThat(properties.deny()).containsExactly("0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4",
					"240.0.0.0/4", "255.255.255.255/32", "100.100.100.200/32", "192.0.0.192/32", "168.63.129.16/32",
					"::/128", "::1/128", "fe80::/10", "ff00::/8", "fd00:ec2::254/128", "fd00:ec2::23/128",
					"fd20:ce::254/128", "fd00:42::42/128");
			assertThat(properties.allow()).isEmpty();
			assertThat(context.getBean(SsrfPolicy.class).checkHost("127.0.0.1")).isPresent();
		});
	}

	@Test
	void configuredListsShouldReplaceTheDefaults() {
		this.runner
			.withPropertyValues("pulse.security.ssrf.deny[0]=10.0.0.0/8", "pulse.security.ssrf.allow[0]=10.1.0.0/16")
			.run(context -> {
				SsrfPolicy policy = context.getBean(SsrfPolicy.class);
				assertThat(policy.checkHost("10.2.0.1")).contains("address 10.2.0.1 is in a denied range (10.0.0.0/8)");
				assertThat(policy.checkHost("10.1.0.1")).isEmpty();
				assertThat(policy.checkHost("127.0.0.1")).isEmpty();
			});
	}

	@Test
	void invalidRangesShouldFailStartUpNamingEveryKeyAndValue() {
		this.runner
			.withPropertyValues("pulse.security.ssrf.deny[0]=127.0.0.0/8", "pulse.security.ssrf.deny[1]=10.0.0.0/33",
					"pulse.security.ssrf.allow[0]=localhost")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessage(
						"pulse.security.ssrf.deny[1]: '10.0.0.0/33' is not a CIDR range: prefix length 33 exceeds 32; "
								+ "pulse.security.ssrf.allow[0]: 'localhost' is not a CIDR range: 'localhost' is not an IPv4 "
								+ "address (four decimal parts without leading zeros) or an IPv6 address"));
	}

	@Test
	void invalidRangeShouldBeReportedByTheStartUpFailureMessage(CapturedOutput output) {
		SpringApplicationBuilder application = new SpringApplicationBuilder(SecurityConfig.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.config.location=optional:classpath:none/",
					"pulse.security.ssrf.deny[0]=10.0.0.1/8");

		assertThatThrownBy(() -> application.run().close()).isInstanceOf(RuntimeException.class);

		assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
			.contains("pulse.security.ssrf.deny[0]: '10.0.0.1/8' is not a CIDR range: "
					+ "host bits are set; the range is 10.0.0.0/8");
	}

	@Test
	void validatorShouldRefuseDeniedApiTargetsAndTrustConfiguredOnes() {
		SsrfTargetValidator validator = new SsrfTargetValidator(new SsrfPolicy(SsrfProperties.defaults()));
		TargetRegistry registry = new TargetRegistry(
				new PulseProperties(DEFAULTS, Map.of("local", target("http://127.0.0.1:8080/health").properties())),
				new ImportProperties(null), List.of(validator));

		assertThat(registry.find("local")).isPresent();
		assertThatExceptionOfType(InvalidTargetException.class)
			.isThrownBy(() -> registry.resolve("meta",
					target("http://[::ffff:169.254.169.254]/latest/meta-data/").properties(), Target.Source.API))
			.extracting(InvalidTargetException::violations)
			.isEqualTo(List.of(new InvalidTargetException.Violation("url",
					"address 169.254.169.254 (written [::ffff:169.254.169.254]) is in a denied range (169.254.0.0/16)")));
		assertThat(registry.resolve("named", target("http://localhost:8080/").properties(), Target.Source.API).url())
			.hasHost("localhost");
		assertThat(registry.resolve("private", target("http://10.0.0.5/").properties(), Target.Source.API).url())
			.hasHost("10.0.0.5");
		assertThat(validator.validate(target("http://0x7f000001/").source(Target.Source.API).build(), "targets.x."))
			.containsExactly(new InvalidTargetException.Violation("targets.x.url",
					"address 127.0.0.1 (written 0x7f000001) is in a denied range (127.0.0.0/8)"));
	}

	@Test
	void hostShouldBeCutFromTheAuthorityWhenJavaFindsNone() {
		assertThat(SsrfTargetValidator.host(java.net.URI.create("http://127.1:8080/x"))).isEqualTo("127.1");
		assertThat(SsrfTargetValidator.host(java.net.URI.create("http://user:pw@0x7f.1/x"))).isEqualTo("0x7f.1");
		assertThat(SsrfTargetValidator.host(java.net.URI.create("http://[::1]:8080/x"))).isEqualTo("[::1]");
		assertThat(SsrfTargetValidator.host(java.net.URI.create("http://127.0.0.1./"))).isEqualTo("127.0.0.1.");
		assertThat(SsrfTargetValidator.host(java.net.URI.create("mailto:x@example.com"))).isNull();
	}

	@Test
	void transportShouldGetThePolicyForItsGuardedClients() {
		this.runner.withUserConfiguration(TransportConfig.class).run(context -> {
			ProbeTransport transport = context.getBean(ProbeTransport.class);
			assertThat(transport.client(false, false, false, true)).isNotSameAs(transport.client(false, false, false));
			try (FaultServer server = FaultServer.start(FaultServer.healthy())) {
				ProbeResult api = TestProbers.http(transport)
					.probe(target(server.url("/health")).source(Target.Source.API).build())
					.block(Duration.ofSeconds(10));
				ProbeResult config = TestProbers.http(transport)
					.probe(target(server.url("/health")).build())
					.block(Duration.ofSeconds(10));

				assertThat(api.reason()).isEqualTo(FailureReason.BLOCKED);
				assertThat(api.error()).isEqualTo("address 127.0.0.1 is in a denied range (127.0.0.0/8)");
				assertThat(config.success()).isTrue();
				assertThat(server.acceptedConnections()).isEqualTo(1);
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(SsrfProperties.class)
	@Import({ SsrfPolicy.class, SsrfTargetValidator.class })
	static class SecurityConfig {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(TransportProperties.class)
	@ComponentScan(basePackageClasses = ProbeTransport.class)
	static class TransportConfig {

	}

}
