package dev.pulse.probe;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pulse.support.TestTransport;
import dev.pulse.target.Target;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.pulse.support.TestTargets.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a probe sends, and probes over TLS, checked by WireMock on loopback. */
class HttpProberWireMockTest {

	private WireMockServer wireMock;

	private ProbeHarness harness;

	@BeforeEach
	void start() {
		this.wireMock = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort().dynamicHttpsPort());
		this.wireMock.start();
		this.wireMock.stubFor(get("/health").willReturn(aResponse().withStatus(200).withBody("{\"status\":\"UP\"}")));
		this.wireMock.stubFor(post("/check").willReturn(aResponse().withStatus(204)));
		this.harness = new ProbeHarness(TestTransport.defaults());
	}

	@AfterEach
	void stop() {
		try {
			this.harness.close();
		}
		finally {
			this.wireMock.stop();
		}
	}

	private ProbeResult probe(Target target) {
		return this.harness.probe(target);
	}

	private ProbeResult probeAndSettle(Target target) {
		return this.harness.probeAndSettle(target);
	}

	@Test
	void probeShouldSendMethodHeadersBodyAndUserAgent() {
		ProbeResult result = probe(target("http://127.0.0.1:" + this.wireMock.port() + "/check").method("POST")
			.header("X-Probe", "pulse")
			.body("{\"ping\":1}")
			.conditions("[STATUS] == 204")
			.build());

		assertThat(result.success()).isTrue();
		assertThat(result.status()).isEqualTo(204);
		assertThat(result.bodyBytes()).isZero();
		this.wireMock.verify(1,
				postRequestedFor(urlEqualTo("/check")).withHeader("X-Probe", equalTo("pulse"))
					.withHeader("User-Agent", equalTo("Pulse/test"))
					.withHeader("Content-Length", equalTo("10"))
					.withRequestBody(equalTo("{\"ping\":1}")));
	}

	@Test
	void probeOverTlsWithSkipVerifyShouldSucceedAndTimeTheHandshake() {
		Target target = target("https://127.0.0.1:" + this.wireMock.httpsPort() + "/health").insecureSkipVerify()
			.build();
		ProbeResult first = probeAndSettle(target);
		ProbeResult second = probeAndSettle(target);

		assertThat(first.success()).as(String.valueOf(first.error())).isTrue();
		assertThat(first.phases().tlsMs()).isNotNull().isPositive();
		assertThat(first.phases().connectMs()).isNotNull();
		assertThat(second.connectionReused()).isTrue();
		assertThat(second.phases().tlsMs()).isNull();
		this.wireMock.verify(2, getRequestedFor(urlEqualTo("/health")).withHeader("User-Agent", matching("Pulse/.*")));
	}

	@Test
	void certificateExpirationShouldBeReadFromThePeerCertificate() {
		// WireMock's bundled certificate is valid until 2115. Gatus prints the time left
		// as
		// a Go duration, then cuts a trailing "0s" (31m10s prints as 31m1), so the tail
		// is
		// optional.
		ProbeResult result = probe(
				target("https://127.0.0.1:" + this.wireMock.httpsPort() + "/health").insecureSkipVerify()
					.conditions("[CERTIFICATE_EXPIRATION] > 48h", "[CERTIFICATE_EXPIRATION] < 48h")
					.build());

		assertThat(result.conditions().get(0).success()).as(result.conditions().get(0).output()).isTrue();
		assertThat(result.conditions().get(1).output())
			.matches("\\[CERTIFICATE_EXPIRATION\\] \\(\\d{6,}h\\d+m[\\d.]*s?\\) < 48h");
	}

	@Test
	void certificateExpirationOverPlainHttpShouldBeUnresolved() {
		ProbeResult result = probe(target("http://127.0.0.1:" + this.wireMock.port() + "/health")
			.conditions("[CERTIFICATE_EXPIRATION] > 48h")
			.build());

		assertThat(result.success()).isFalse();
		assertThat(result.conditions().get(0).output()).isEqualTo("[CERTIFICATE_EXPIRATION] (INVALID) > 48h");
	}

	@Test
	void probeOverTlsToAnUntrustedCertificateShouldReportTls() {
		ProbeResult result = probe(target("https://127.0.0.1:" + this.wireMock.httpsPort() + "/health").build());

		assertThat(result.success()).isFalse();
		assertThat(result.reason()).isEqualTo(FailureReason.TLS);
		assertThat(result.status()).isNull();
	}

}
