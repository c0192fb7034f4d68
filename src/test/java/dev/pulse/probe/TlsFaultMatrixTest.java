package dev.pulse.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.pulse.security.SsrfPolicy;
import dev.pulse.security.SsrfProperties;
import dev.pulse.support.Fds;
import dev.pulse.support.FaultServer;
import dev.pulse.support.HeartbeatServer;
import dev.pulse.support.HeartbeatServer.Behaviour;
import dev.pulse.support.TestCertificates;
import dev.pulse.support.TestTargets;
import dev.pulse.support.TestTransport;
import dev.pulse.target.Target;
import dev.pulse.transport.PeerCertificate;
import dev.pulse.transport.ProbeTransport;

import static dev.pulse.probe.FailureReason.CONDITION_FAILED;
import static dev.pulse.probe.FailureReason.CONNECTION_REFUSED;
import static dev.pulse.probe.FailureReason.CONNECTION_RESET;
import static dev.pulse.probe.FailureReason.EXPECT_FAILED;
import static dev.pulse.probe.FailureReason.TIMEOUT;
import static dev.pulse.probe.FailureReason.TLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fault matrix of {@code tls://} targets: the heartbeat server behind a real TLS
 * handshake with certificates from a test authority (valid, expired, self-signed, for
 * another host), and plain servers a TLS client meets by mistake. Each row's reason and
 * message, a bound on the probe's duration, and nothing left open after it.
 * {@code NoLeaksExtension} fails the class on a Netty buffer leak.
 */
@Timeout(60)
class TlsFaultMatrixTest {

	private static final long SLACK_MS = 600;

	private static final Duration TIMEOUT_500 = Duration.ofMillis(500);

	private static final String PING = "\\x01";

	private static final String PONG = "\\x02";

	private static TestCertificates authority;

	@BeforeAll
	static void createTheAuthority() {
		authority = TestCertificates.authority();
	}

	/** A row: the server's behaviour and TLS, the target, and what must come out. */
	record Row(String name, Behaviour behaviour, @Nullable Function<TestCertificates, SSLContext> tls,
			Function<String, TestTargets> target, @Nullable FailureReason reason, @Nullable String error) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	static Stream<Row> rows() {
		Function<TestCertificates, SSLContext> valid = ca -> ca.valid("127.0.0.1").serverContext();
		Function<TestCertificates, SSLContext> expired = ca -> ca.expired("127.0.0.1").serverContext();
		Function<TestCertificates, SSLContext> selfSigned = ca -> TestCertificates.selfSigned("127.0.0.1")
			.serverContext();
		Function<TestCertificates, SSLContext> otherHost = ca -> ca.valid("other.example").serverContext();
		return Stream.of(
				new Row("handshake only", Behaviour.HANG, valid,
						url -> TestTargets.target(url)
							.conditions("[CONNECTED] == true", "[CERTIFICATE_EXPIRATION] > 48h"),
						null, null),
				new Row("ping, pong over TLS", Behaviour.PONG, valid,
						url -> TestTargets.target(url).tcp(PING, PONG, null), null, null),
				new Row("certificate expiring sooner than the condition allows", Behaviour.HANG, valid,
						url -> TestTargets.target(url).conditions("[CERTIFICATE_EXPIRATION] > 9000h"), CONDITION_FAILED,
						"condition failed: [CERTIFICATE_EXPIRATION]"),
				new Row("expired certificate", Behaviour.HANG, expired, TestTargets::target, TLS, "NotAfter: "),
				new Row("expired certificate, skip-verify, expiry condition", Behaviour.HANG, expired,
						url -> TestTargets.target(url).insecureSkipVerify().conditions("[CERTIFICATE_EXPIRATION] > 0"),
						CONDITION_FAILED, "condition failed: [CERTIFICATE_EXPIRATION]"),
				new Row("self-signed certificate", Behaviour.HANG, selfSigned, TestTargets::target, TLS,
						"unable to find valid certification path"),
				new Row("self-signed certificate, skip-verify", Behaviour.HANG, selfSigned,
						url -> TestTargets.target(url).insecureSkipVerify(), null, null),
				new Row("certificate for another host", Behaviour.HANG, otherHost, TestTargets::target, TLS,
						"No subject alternative names matching IP address 127.0.0.1 found"),
				new Row("certificate for another host, skip-verify", Behaviour.HANG, otherHost,
						url -> TestTargets.target(url).insecureSkipVerify(), null, null),
				new Row("wrong answer over TLS", Behaviour.WRONG_ANSWER, valid,
						url -> TestTargets.target(url).tcp(PING, PONG, 4), EXPECT_FAILED,
						"4 bytes read without a match for /\\x02/: NOPE"),
				new Row("slow pong over TLS", Behaviour.SLOW_PONG, valid,
						url -> TestTargets.target(url).timeout(TIMEOUT_500).tcp(PING, PONG, null), TIMEOUT,
						"timed out after 500 ms waiting for the answer"),
				new Row("plain server that never answers the hello", Behaviour.HANG, null,
						url -> TestTargets.target(url).timeout(TIMEOUT_500), TIMEOUT,
						"timed out after 500 ms connecting or in the TLS handshake"),
				new Row("plain server answering garbage", Behaviour.WRONG_ANSWER, null, TestTargets::target, TLS, null),
				new Row("reset on accept", Behaviour.RESET, null, TestTargets::target, CONNECTION_RESET,
						"Connection reset"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void probeShouldEndWithTheRowsReasonWithinItsDeadlineAndLeaveNothingOpen(Row row) {
		int openBefore = Fds.openFileDescriptors();
		SSLContext tls = (row.tls() != null) ? row.tls().apply(authority) : null;
		try (ProbeTransport transport = TestTransport.defaults().build(authority.clientContext());
				HeartbeatServer server = HeartbeatServer.start(row.behaviour(), tls)) {
			Target target = row.target().apply(server.url("tls")).build();
			TlsProber prober = new TlsProber(transport);
			for (int i = 0; i < 3; i++) {
				long start = System.nanoTime();
				ProbeResult result = prober.probe(target).block(Duration.ofSeconds(10));
				long elapsedMs = (System.nanoTime() - start) / 1_000_000;
				assertThat(elapsedMs).as("probe took (ms); error: %s", result.error())
					.isLessThanOrEqualTo(target.timeout().toMillis() + SLACK_MS);
				assertThat(result.reason()).as("reason; error: %s", result.error()).isEqualTo(row.reason());
				assertThat(result.success()).isEqualTo(row.reason() == null);
				if (row.error() != null) {
					assertThat(result.error()).contains(row.error());
				}
				boolean handshake = row.tls() != null && row.reason() != TLS;
				if (handshake) {
					// The handshake happened: its time and the chain are in the result.
					assertThat(result.ip()).isEqualTo("127.0.0.1");
					assertThat(result.phases().tlsMs()).isNotNull();
					assertThat(result.phases().connectMs()).isNotNull();
					assertThat(result.certificate()).isNotNull();
				}
				else {
					assertThat(result.certificate()).as("no certificate without a handshake").isNull();
				}
				await().atMost(Duration.ofSeconds(2)).until(() -> server.openConnections() == 0);
			}
		}
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(Fds.openFileDescriptors()).as("open file descriptors")
				.isLessThanOrEqualTo(openBefore));
	}

	@Test
	void theResultShouldReportTheChainAndItsEarliestExpiry() {
		Instant leafExpiry = Instant.now().plus(Duration.ofDays(20));
		try (ProbeTransport transport = TestTransport.defaults().build(authority.clientContext());
				HeartbeatServer server = HeartbeatServer.start(Behaviour.HANG,
						authority.issue(Instant.now().minus(Duration.ofDays(1)), leafExpiry, "127.0.0.1")
							.serverContext())) {
			ProbeResult result = new TlsProber(transport)
				.probe(TestTargets.target(server.url("tls")).conditions("[CERTIFICATE_EXPIRATION] < 500h").build())
				.block(Duration.ofSeconds(10));
			assertThat(result.success()).as(result.error()).isTrue();
			PeerCertificate certificate = result.certificate();
			assertThat(certificate.subject()).isEqualTo("CN=127.0.0.1");
			assertThat(certificate.issuer()).isEqualTo("CN=Pulse Test CA");
			assertThat(certificate.chainLength()).isEqualTo(2);
			// X.509 keeps whole seconds.
			assertThat(Duration.between(certificate.notAfter(), leafExpiry).abs()).isLessThan(Duration.ofSeconds(1));
			// The authority lasts a year, the leaf 20 days: the leaf runs out first.
			assertThat(certificate.chainNotAfter()).isEqualTo(certificate.notAfter());
		}
	}

	@Test
	void theHandshakeShouldSendTheHostAsSniAndCheckTheCertificateAgainstIt() {
		try (ProbeTransport transport = TestTransport.defaults().build(authority.clientContext());
				HeartbeatServer server = HeartbeatServer.start(Behaviour.HANG,
						authority.valid("localhost").serverContext())) {
			TlsProber prober = new TlsProber(transport);
			ProbeResult byName = prober.probe(TestTargets.target("tls://localhost:" + server.port()).build())
				.block(Duration.ofSeconds(10));
			assertThat(byName.success()).as(byName.error()).isTrue();
			// The server reads the client's last handshake message after the client is
			// done.
			await().atMost(Duration.ofSeconds(2)).until(() -> "localhost".equals(server.lastServerName()));
			ProbeResult byAddress = prober.probe(TestTargets.target(server.url("tls")).build())
				.block(Duration.ofSeconds(10));
			assertThat(byAddress.reason()).as("the certificate names localhost, not 127.0.0.1").isEqualTo(TLS);
		}
	}

	@Test
	void anApiTargetOnADeniedAddressIsRefusedWithoutAConnection() {
		try (ProbeTransport transport = new ProbeTransport(TestTransport.defaults().properties(), "Pulse/test",
				new SsrfPolicy(SsrfProperties.defaults()));
				HeartbeatServer server = HeartbeatServer.start(Behaviour.HANG,
						authority.valid("127.0.0.1").serverContext())) {
			ProbeResult result = new TlsProber(transport)
				.probe(TestTargets.target(server.url("tls")).source(Target.Source.API).build())
				.block(Duration.ofSeconds(10));
			assertThat(result.reason()).isEqualTo(FailureReason.BLOCKED);
			assertThat(server.acceptedConnections()).isZero();
		}
	}

	@Test
	void aRefusedPortShouldFailAsRefused() {
		try (ProbeTransport transport = TestTransport.defaults().build(authority.clientContext())) {
			ProbeResult result = new TlsProber(transport)
				.probe(TestTargets.target("tls://127.0.0.1:" + FaultServer.refusedPort()).build())
				.block(Duration.ofSeconds(10));
			assertThat(result.reason()).isEqualTo(CONNECTION_REFUSED);
			assertThat(result.certificate()).isNull();
		}
	}

}
