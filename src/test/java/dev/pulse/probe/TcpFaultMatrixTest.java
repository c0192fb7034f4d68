package dev.pulse.probe;

import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.pulse.security.SsrfPolicy;
import dev.pulse.security.SsrfProperties;
import dev.pulse.support.Fds;
import dev.pulse.support.FaultServer;
import dev.pulse.support.FullBacklog;
import dev.pulse.support.HeartbeatServer;
import dev.pulse.support.HeartbeatServer.Behaviour;
import dev.pulse.support.TestTargets;
import dev.pulse.support.TestTransport;
import dev.pulse.target.Target;
import dev.pulse.transport.ProbeTransport;

import static dev.pulse.probe.FailureReason.BLOCKED;
import static dev.pulse.probe.FailureReason.CONDITION_FAILED;
import static dev.pulse.probe.FailureReason.CONNECTION_REFUSED;
import static dev.pulse.probe.FailureReason.CONNECTION_RESET;
import static dev.pulse.probe.FailureReason.EXPECT_FAILED;
import static dev.pulse.probe.FailureReason.PREMATURE_CLOSE;
import static dev.pulse.probe.FailureReason.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fault matrix of {@code tcp://} targets, against the article's heartbeat server and
 * its faulty twins: each row's failure reason and message, a bound on the probe's
 * duration (its timeout plus a small constant), and nothing left behind: the server holds
 * no connection after the probe, and this JVM no more descriptors than before.
 * {@code NoLeaksExtension} fails the class on a Netty buffer leak.
 */
@Timeout(60)
class TcpFaultMatrixTest {

	private static final long SLACK_MS = 400;

	private static final Duration TIMEOUT_500 = Duration.ofMillis(500);

	private static final String PING = "\\x01";

	private static final String PONG = "\\x02";

	record Row(String name, @Nullable Behaviour behaviour, Function<String, TestTargets> target,
			@Nullable FailureReason reason, @Nullable String error) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	static Stream<Row> rows() {
		return Stream.of(new Row("connect only", Behaviour.HANG, TestTargets::target, null, null),
				new Row("ping, pong", Behaviour.PONG, url -> TestTargets.target(url).tcp(PING, PONG, null), null, null),
				new Row("banner read by a [BODY] condition", Behaviour.BANNER,
						url -> TestTargets.target(url).conditions("[CONNECTED] == true", "[BODY] == pat(SSH-2.0-*)"),
						null, null),
				new Row("banner against the wrong pattern", Behaviour.BANNER,
						url -> TestTargets.target(url).conditions("[BODY] == pat(HTTP/*)"), CONDITION_FAILED,
						"condition failed: [BODY]"),
				new Row("hang after accept", Behaviour.HANG,
						url -> TestTargets.target(url).timeout(TIMEOUT_500).tcp(PING, PONG, null), TIMEOUT,
						"timed out after 500 ms waiting for the answer"),
				new Row("slow pong", Behaviour.SLOW_PONG,
						url -> TestTargets.target(url).timeout(TIMEOUT_500).tcp(PING, PONG, null), TIMEOUT,
						"timed out after 500 ms waiting for the answer"),
				new Row("half an answer, then close", Behaviour.HALF_ANSWER,
						url -> TestTargets.target(url).tcp(PING, "PONG", null), EXPECT_FAILED,
						"the peer closed the connection without a match for /PONG/: PO"),
				new Row("wrong answer up to the read bound", Behaviour.WRONG_ANSWER,
						url -> TestTargets.target(url).tcp(PING, PONG, 4), EXPECT_FAILED,
						"4 bytes read without a match for /\\x02/: NOPE"),
				new Row("closed without a byte", Behaviour.CLOSE, url -> TestTargets.target(url).tcp(PING, PONG, null),
						PREMATURE_CLOSE, "the peer closed the connection before answering"),
				new Row("reset on accept", Behaviour.RESET, url -> TestTargets.target(url).tcp(PING, PONG, null),
						CONNECTION_RESET, "Connection reset"),
				new Row("refused port", null, url -> TestTargets.target("tcp://127.0.0.1:" + FaultServer.refusedPort())
					.conditions("[CONNECTED] == true"), CONNECTION_REFUSED, "Connection refused"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void probeShouldEndWithTheRowsReasonWithinItsDeadlineAndLeaveNothingOpen(Row row) {
		int openBefore = Fds.openFileDescriptors();
		try (ProbeTransport transport = TestTransport.defaults().build();
				HeartbeatServer server = HeartbeatServer
					.start((row.behaviour() != null) ? row.behaviour() : Behaviour.HANG)) {
			Target target = row.target().apply(server.url()).build();
			TcpProber prober = new TcpProber(transport);
			for (int i = 0; i < 3; i++) {
				long start = System.nanoTime();
				ProbeResult result = prober.probe(target).block(Duration.ofSeconds(10));
				long elapsedMs = (System.nanoTime() - start) / 1_000_000;
				assertThat(elapsedMs).as("probe took (ms); error: %s", result.error())
					.isLessThanOrEqualTo(target.timeout().toMillis() + SLACK_MS);
				assertThat(result.reason()).as("reason; error: %s", result.error()).isEqualTo(row.reason());
				assertThat(result.success()).isEqualTo(row.reason() == null);
				assertThat(result.status()).isNull();
				if (row.error() != null) {
					assertThat(result.error()).contains(row.error());
				}
				if (row.reason() == null || row.reason() == CONDITION_FAILED || row.reason() == EXPECT_FAILED) {
					assertThat(result.ip()).isEqualTo("127.0.0.1");
					assertThat(result.phases().connectMs()).isNotNull();
				}
				// The probe's connection is closed on every path: the server sees it go.
				await().atMost(Duration.ofSeconds(2)).until(() -> server.openConnections() == 0);
			}
		}
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(Fds.openFileDescriptors()).as("open file descriptors")
				.isLessThanOrEqualTo(openBefore));
	}

	@Test
	void pingPongReadsExactlyThePong() {
		try (ProbeTransport transport = TestTransport.defaults().build();
				HeartbeatServer server = HeartbeatServer.start(Behaviour.PONG)) {
			ProbeResult result = new TcpProber(transport)
				.probe(TestTargets.target(server.url()).tcp(PING, PONG, null).build())
				.block(Duration.ofSeconds(10));
			assertThat(result.success()).as(result.error()).isTrue();
			assertThat(result.bodyBytes()).isEqualTo(1);
			assertThat(result.phases().ttfbMs()).isNotNull();
			assertThat(server.pings()).isEqualTo(1);
		}
	}

	@Test
	void aConnectOutlastingTheDeadlineIsCutAtTheDeadline() {
		try (ProbeTransport transport = TestTransport.defaults().connectTimeout(Duration.ofSeconds(10)).build();
				FullBacklog backlog = FullBacklog.start()) {
			long start = System.nanoTime();
			ProbeResult result = new TcpProber(transport)
				.probe(TestTargets.target("tcp://127.0.0.1:" + backlog.port()).timeout(TIMEOUT_500).build())
				.block(Duration.ofSeconds(10));
			assertThat((System.nanoTime() - start) / 1_000_000).isLessThanOrEqualTo(500 + SLACK_MS);
			assertThat(result.reason()).isEqualTo(TIMEOUT);
			assertThat(result.error()).contains("timed out after 500 ms connecting");
			assertThat(result.conditions().get(0).success()).as("[CONNECTED] is false").isFalse();
		}
	}

	@Test
	void anApiTargetOnADeniedAddressIsRefusedWithoutAConnection() {
		try (ProbeTransport transport = new ProbeTransport(TestTransport.defaults().properties(), "Pulse/test",
				new SsrfPolicy(SsrfProperties.defaults()));
				HeartbeatServer server = HeartbeatServer.start(Behaviour.PONG)) {
			ProbeResult result = new TcpProber(transport)
				.probe(TestTargets.target(server.url()).source(Target.Source.API).tcp(PING, PONG, null).build())
				.block(Duration.ofSeconds(10));
			assertThat(result.reason()).isEqualTo(BLOCKED);
			assertThat(result.error()).contains("127.0.0.1");
			assertThat(server.acceptedConnections()).isZero();
		}
	}

}
