package dev.pulse.probe;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import dev.pulse.security.SsrfPolicy;
import dev.pulse.security.SsrfProperties;
import dev.pulse.support.FaultServer;
import dev.pulse.target.Target;
import dev.pulse.transport.AddressPolicy;
import dev.pulse.transport.BlockedAddressException;
import dev.pulse.transport.ProbeTransport;
import dev.pulse.transport.TransportProperties;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.pulse.support.TestTargets.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SSRF guard at connect time, against real loopback servers: API targets connect only
 * to addresses the policy allows, checked after DNS and on every redirect hop and
 * stale-connection repeat, with no connection attempt when denied; configured targets are
 * never checked.
 */
class HttpProberSsrfTest {

	private static final String LOOPBACK_DENIED = "address 127.0.0.1 is in a denied range (127.0.0.0/8)";

	private static final SsrfPolicy DEFAULTS = new SsrfPolicy(SsrfProperties.defaults());

	private static final SsrfPolicy LOOPBACK_V4_ALLOWED = new SsrfPolicy(
			new SsrfProperties(null, List.of("127.0.0.1/32")));

	private ProbeHarness harness;

	private ProbeTransport transport;

	private void start(AddressPolicy policy, boolean followRedirects) {
		TransportProperties properties = new TransportProperties(8, Duration.ofSeconds(30), Duration.ofMinutes(5),
				Duration.ofSeconds(15), 1000, Duration.ofSeconds(5), Duration.ofSeconds(3), DataSize.ofMegabytes(1),
				followRedirects, null);
		this.harness = new ProbeHarness(new ProbeTransport(properties, "Pulse/test", policy));
		this.transport = this.harness.transport();
	}

	@AfterEach
	void poolIsEmptyAfterwards() {
		if (this.harness != null) {
			this.harness.close();
		}
	}

	/**
	 * Every channel is closed except the pooled idle ones: a blocked connect must not
	 * leave its channel open. Call while the servers still run, or they close the idle
	 * ones.
	 */
	private void assertOnlyIdleChannelsOpen() {
		await().atMost(Duration.ofSeconds(3))
			.untilAsserted(() -> assertThat(this.transport.snapshot().hosts())
				.allSatisfy(host -> assertThat(host.opened() - host.closed()).as("open channels to %s", host.host())
					.isEqualTo(host.idle())));
	}

	private ProbeResult probe(Target target) {
		return this.harness.probe(target);
	}

	private static Target api(String url) {
		return target(url).source(Target.Source.API).build();
	}

	@Test
	void apiTargetAtADeniedAddressShouldBeBlockedWithoutAConnection() {
		start(DEFAULTS, false);
		try (FaultServer server = FaultServer.start(FaultServer.healthy())) {
			ProbeResult result = probe(api(server.url("/health")));

			assertThat(result.success()).isFalse();
			assertThat(result.reason()).isEqualTo(FailureReason.BLOCKED);
			assertThat(result.reason().value()).isEqualTo("blocked");
			assertThat(result.error()).isEqualTo(LOOPBACK_DENIED);
			assertThat(result.status()).isNull();
			assertThat(result.ip()).isNull();
			assertThat(result.connectionReused()).isFalse();
			assertThat(result.staleConnectionRetried()).isFalse();
			assertThat(result.phases()).isEqualTo(Phases.NONE);
			assertThat(server.acceptedConnections()).isZero();
			assertThat(this.transport.snapshot().hosts()).singleElement()
				.satisfies(host -> assertThat(host.host()).isEqualTo("127.0.0.1:" + server.port()));
			assertOnlyIdleChannelsOpen();
		}
	}

	@Test
	void freshConnectionApiTargetShouldBeBlockedToo() {
		start(DEFAULTS, false);
		try (FaultServer server = FaultServer.start(FaultServer.healthy())) {
			ProbeResult result = probe(
					target(server.url("/health")).source(Target.Source.API).freshConnection().build());

			assertThat(result.reason()).isEqualTo(FailureReason.BLOCKED);
			assertThat(result.error()).isEqualTo(LOOPBACK_DENIED);
			assertThat(server.acceptedConnections()).isZero();
			assertOnlyIdleChannelsOpen();
		}
	}

	@Test
	void apiTargetAtAnAllowedAddressShouldBeProbed() {
		start(LOOPBACK_V4_ALLOWED, false);
		try (FaultServer server = FaultServer.start(FaultServer.healthy())) {
			ProbeResult result = probe(api(server.url("/health")));

			assertThat(result.success()).as(result.error()).isTrue();
			assertThat(result.status()).isEqualTo(200);
			assertThat(result.ip()).isEqualTo("127.0.0.1");
			assertThat(server.acceptedConnections()).isEqualTo(1);
		}
	}

	@Test
	void hostNameResolvingToADeniedAddressShouldBeBlockedAtConnectTime() {
		start(DEFAULTS, false);
		try (FaultServer server = FaultServer.start(FaultServer.healthy())) {
			ProbeResult result = probe(api("http://localhost:" + server.port() + "/health"));

			assertThat(result.reason()).isEqualTo(FailureReason.BLOCKED);
			// localhost may resolve to either loopback first; both are denied.
			assertThat(result.error()).isIn("host localhost: " + LOOPBACK_DENIED,
					"host localhost: address ::1 is in a denied range (::1/128)");
			assertThat(server.acceptedConnections()).isZero();
			assertOnlyIdleChannelsOpen();
		}
	}

	@Test
	void configuredTargetShouldNeverBeBlocked() {
		start(DEFAULTS, false);
		try (FaultServer server = FaultServer.start(FaultServer.healthy())) {
			ProbeResult literal = probe(target(server.url("/health")).build());
			ProbeResult named = probe(
					target("http://localhost:" + server.port() + "/health").freshConnection().build());

			assertThat(literal.success()).as(literal.error()).isTrue();
			assertThat(named.success()).as(named.error()).isTrue();
			assertThat(server.acceptedConnections()).isGreaterThanOrEqualTo(1);
		}
	}

	@Test
	void apiTargetShouldNotReuseAConnectionAConfiguredTargetOpened() {
		start(DEFAULTS, false);
		try (FaultServer server = FaultServer.start(FaultServer.healthy())) {
			ProbeResult configured = probe(target(server.url("/health")).build());
			await().atMost(Duration.ofSeconds(2)).until(() -> this.transport.snapshot().idle() == 1);
			ProbeResult fromApi = probe(api(server.url("/health")));

			assertThat(configured.success()).isTrue();
			assertThat(fromApi.reason()).isEqualTo(FailureReason.BLOCKED);
			assertThat(fromApi.connectionReused()).isFalse();
			assertThat(server.acceptedConnections()).isEqualTo(1);
			assertOnlyIdleChannelsOpen();
		}
	}

	@Test
	void redirectHopToADeniedAddressShouldBeBlocked() {
		start(LOOPBACK_V4_ALLOWED, true);
		WireMockServer wireMock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		wireMock.start();
		try {
			// Nothing listens there: were the hop not blocked, the reason would differ.
			String denied = "http://[::1]:" + FaultServer.refusedPort() + "/health";
			wireMock.stubFor(get("/go").willReturn(aResponse().withStatus(302).withHeader("Location", denied)));
			ProbeResult result = probe(api("http://127.0.0.1:" + wireMock.port() + "/go"));

			assertThat(result.reason()).isEqualTo(FailureReason.BLOCKED);
			assertThat(result.error()).isEqualTo("address ::1 is in a denied range (::1/128)");
			wireMock.verify(1, getRequestedFor(urlEqualTo("/go")));
			assertOnlyIdleChannelsOpen();
		}
		finally {
			wireMock.stop();
		}
	}

	@Test
	void redirectHopToAnAllowedAddressShouldBeFollowed() {
		start(LOOPBACK_V4_ALLOWED, true);
		WireMockServer wireMock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
		wireMock.start();
		try (FaultServer server = FaultServer.start(FaultServer.healthy())) {
			wireMock.stubFor(
					get("/go").willReturn(aResponse().withStatus(302).withHeader("Location", server.url("/health"))));
			ProbeResult result = probe(api("http://127.0.0.1:" + wireMock.port() + "/go"));

			assertThat(result.success()).as(result.error()).isTrue();
			assertThat(result.status()).isEqualTo(200);
			assertThat(server.requestsServed()).isEqualTo(1);
		}
		finally {
			wireMock.stop();
		}
	}

	@Test
	void staleConnectionRepeatShouldGoThroughTheGuard() {
		AtomicBoolean denyAll = new AtomicBoolean();
		start(address -> denyAll.get() ? Optional.of("denied from now on") : Optional.empty(), false);
		try (FaultServer server = FaultServer.start(FaultServer.closeIdleAfterFirstResponse())) {
			Target target = api(server.url("/health"));
			ProbeResult first = probe(target);
			await().atMost(Duration.ofSeconds(2)).until(() -> this.transport.snapshot().idle() == 1);
			denyAll.set(true);
			ProbeResult second = probe(target);

			assertThat(first.success()).as(first.error()).isTrue();
			assertThat(second.staleConnectionRetried()).isTrue();
			assertThat(second.reason()).isEqualTo(FailureReason.BLOCKED);
			assertThat(second.error()).isEqualTo("denied from now on");
			assertThat(server.acceptedConnections()).isEqualTo(1);
		}
	}

	@Test
	void httpsApiTargetAtADeniedAddressShouldBeBlocked() {
		start(DEFAULTS, false);
		WireMockServer wireMock = new WireMockServer(
				options().bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort());
		wireMock.start();
		try {
			wireMock.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
			ProbeResult result = probe(
					target("https://127.0.0.1:" + wireMock.httpsPort() + "/health").source(Target.Source.API)
						.insecureSkipVerify()
						.build());

			assertThat(result.reason()).isEqualTo(FailureReason.BLOCKED);
			assertThat(result.error()).isEqualTo(LOOPBACK_DENIED);
			assertThat(result.phases().tlsMs()).isNull();
			wireMock.verify(0, getRequestedFor(urlEqualTo("/health")));
			assertOnlyIdleChannelsOpen();
		}
		finally {
			wireMock.stop();
		}
	}

	@Test
	void blockedAddressShouldBeClassifiedBeforeConnectionRefused() {
		Throwable wrapped = new IllegalStateException("connect failed",
				new IOException("io", new BlockedAddressException(LOOPBACK_DENIED)));

		assertThat(FailureClassifier.classify(wrapped)).isEqualTo(FailureReason.BLOCKED);
		assertThat(FailureClassifier.classify(new BlockedAddressException("x"))).isEqualTo(FailureReason.BLOCKED);
		assertThat(FailureClassifier.describe(wrapped)).isEqualTo(LOOPBACK_DENIED);
		assertThat(FailureReason.fromValue("blocked")).isEqualTo(FailureReason.BLOCKED);
	}

}
