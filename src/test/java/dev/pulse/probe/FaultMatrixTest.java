package dev.pulse.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import io.netty.handler.ssl.SslContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.util.unit.DataSize;

import dev.pulse.support.FaultServer;
import dev.pulse.support.Fds;
import dev.pulse.support.FullBacklog;
import dev.pulse.support.LoopbackDns;
import dev.pulse.support.TestCertificates;
import dev.pulse.support.TestCertificates.Credential;
import dev.pulse.support.TestTargets;
import dev.pulse.support.TestTransport;
import dev.pulse.target.Target;

import static dev.pulse.probe.FailureReason.BODY_TOO_LARGE;
import static dev.pulse.probe.FailureReason.CONDITION_FAILED;
import static dev.pulse.probe.FailureReason.CONNECTION_REFUSED;
import static dev.pulse.probe.FailureReason.CONNECTION_RESET;
import static dev.pulse.probe.FailureReason.DNS;
import static dev.pulse.probe.FailureReason.PREMATURE_CLOSE;
import static dev.pulse.probe.FailureReason.PROTOCOL_ERROR;
import static dev.pulse.probe.FailureReason.TIMEOUT;
import static dev.pulse.probe.FailureReason.TLS;
import static dev.pulse.support.TestTargets.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fault matrix: one table of what a probe meets in production, each fault with the
 * failure reason it must produce, a bound on the probe's duration (its timeout plus a
 * small constant), and nothing left behind: after every fault the pool holds no active
 * connection and no pending acquire ({@link ProbeHarness}), and this JVM has no more open
 * file descriptors than before. {@code NoLeaksExtension} fails the class on a Netty
 * buffer leak. README.md lists the same table for users.
 * <p>
 * Every fault gets a transport of its own, whose certificate-checking https clients trust
 * a test authority made at class start, so expiry and host name are checked against a
 * trusted chain instead of failing earlier as untrusted.
 */
@Timeout(60)
class FaultMatrixTest {

	/**
	 * What a probe may overrun its timeout by: timer granularity and scheduling noise,
	 * never a stall.
	 */
	private static final long SLACK_MS = 400;

	private static final Duration STALL_TIMEOUT = Duration.ofMillis(500);

	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

	private static final long GIB = 1024L * 1024 * 1024;

	private static TestCertificates authority;

	private static SslContext trusted;

	// Answers NXDOMAIN for every name, so the DNS row never sends a query off loopback.
	private static LoopbackDns dns;

	@BeforeAll
	static void certificateAuthorityAndWarmUp() {
		authority = TestCertificates.authority();
		trusted = authority.clientContext();
		dns = LoopbackDns.start();
		// The first probes of a JVM load Netty's and the JDK's TLS classes, which can
		// take
		// longer than a stall row's 500 ms: done here, they are not charged to a row.
		try (Peer http = server(FaultServer.healthy()).get();
				Peer https = tls(FaultServer.healthy(), () -> authority.valid("127.0.0.1")).get();
				ProbeHarness harness = new ProbeHarness(TestTransport.defaults().build(trusted))) {
			assertThat(harness.probe(target(http.url()).build()).success()).isTrue();
			assertThat(harness.probe(target(https.url()).timeout(Duration.ofSeconds(10)).build()).success()).isTrue();
		}
	}

	@AfterAll
	static void stopDns() {
		if (dns != null) {
			dns.close();
		}
	}

	static Stream<Fault> faults() {
		return Stream.of(
				fault("hang after accept", server(FaultServer.hangAfterAccept())).timeout(STALL_TIMEOUT)
					.fails(TIMEOUT, "timed out after 500 ms waiting for the response headers"),
				fault("hang after headers", server(FaultServer.hangAfterHeaders())).timeout(STALL_TIMEOUT)
					.fails(TIMEOUT, "timed out after 500 ms reading the body"),
				fault("trickled status line", server(FaultServer.trickleHead(Duration.ofMillis(20))))
					.timeout(STALL_TIMEOUT)
					.fails(TIMEOUT, "timed out after 500 ms waiting for the response headers"),
				fault("trickled body", server(FaultServer.trickle(Duration.ofMillis(20)))).timeout(STALL_TIMEOUT)
					.fails(TIMEOUT, "timed out after 500 ms reading the body"),
				fault("reset before the request", server(FaultServer.resetOnAccept())).fails(CONNECTION_RESET,
						"Connection reset"),
				fault("reset after the request", server(FaultServer.resetAfterRequest())).fails(CONNECTION_RESET,
						"Connection reset"),
				fault("garbage bytes", server(FaultServer.garbage())).fails(PROTOCOL_ERROR, null),
				fault("truncated chunked body", server(FaultServer.truncatedChunked())).fails(PREMATURE_CLOSE,
						"Connection prematurely closed DURING response"),
				fault("endless chunked body", server(FaultServer.endlessChunked(Duration.ofMillis(10))))
					.timeout(STALL_TIMEOUT)
					.fails(TIMEOUT, "timed out after 500 ms reading the body"),
				// Refused from its Content-Length, before a body byte is read.
				fault("declared body over the cap", server(FaultServer.hugeBody(100L * 1024 * 1024)))
					.fails(BODY_TOO_LARGE, "response body exceeds max-body-bytes (1048576 bytes)")
					.then((results, peer) -> assertThat(last(results).bodyBytes()).isZero()),
				fault("streamed body over the cap", server(FaultServer.hugeBodyWithoutLength(100L * 1024 * 1024)))
					.fails(BODY_TOO_LARGE, "response body exceeds max-body-bytes (1048576 bytes)")
					.then((results, peer) -> assertThat(last(results).bodyBytes()).isGreaterThan(1024 * 1024)
						.isLessThanOrEqualTo(1024 * 1024 + 64 * 1024)),
				// Pulse asks for no encoding and inflates nothing, so the cap counts wire
				// bytes: the bomb's ~1 MiB of gzip passes a 256 KiB cap long before 1
				// GiB.
				fault("gzip bomb (1 GiB of zeros)", server(FaultServer.gzipBomb(GIB)))
					.transport(transport -> transport.maxBodyBytes(DataSize.ofKilobytes(256)))
					.fails(BODY_TOO_LARGE, "response body exceeds max-body-bytes (262144 bytes)")
					.then((results, peer) -> {
						assertThat(last(results).bodyBytes()).isGreaterThan(256 * 1024)
							.isLessThanOrEqualTo(256 * 1024 + 64 * 1024);
						assertThat(peer.server().lastRequestHead()).doesNotContainIgnoringCase("accept-encoding");
					}),
				fault("Connection: close each time", server(FaultServer.closeEach())).probes(30)
					.succeeds()
					.then((results, peer) -> {
						assertThat(results).noneMatch(ProbeResult::connectionReused);
						assertThat(peer.server().acceptedConnections()).isEqualTo(30);
					}),
				fault("keep-alive closed as it is reused", server(FaultServer.closeIdleAfterFirstResponse())).probes(2)
					.succeeds()
					.then((results, peer) -> {
						assertThat(results.get(1).staleConnectionRetried()).isTrue();
						assertThat(peer.server().acceptedConnections()).isEqualTo(2);
					}),
				fault("refused port", FaultMatrixTest::refusedPort).fails(CONNECTION_REFUSED, "Connection refused"),
				// The connect timeout, not the probe's deadline, ends it: well before 2
				// s.
				fault("full accept backlog", FaultMatrixTest::fullBacklog)
					.transport(transport -> transport.connectTimeout(Duration.ofMillis(300)))
					.fails(TIMEOUT, "connection timed out after 300 ms")
					.then((results, peer) -> assertThat(last(results).durationMs()).isBetween(300.0, 300.0 + SLACK_MS)),
				// The deadline ends the connect; the connecting channel is closed with
				// it.
				fault("connect outlasting the deadline", FaultMatrixTest::fullBacklog).timeout(STALL_TIMEOUT)
					.fails(TIMEOUT, "timed out after 500 ms waiting for a connection"),
				fault("TLS handshake hangs", FaultMatrixTest::tlsHang).timeout(STALL_TIMEOUT)
					.fails(TIMEOUT, "timed out after 500 ms waiting for a connection"),
				fault("valid certificate (control)", tls(() -> authority.valid("127.0.0.1"))).succeeds(),
				fault("expired certificate", tls(() -> authority.expired("127.0.0.1"))).fails(TLS, "NotAfter: "),
				fault("expired certificate, skip-verify", tls(() -> authority.expired("127.0.0.1")))
					.target(TestTargets::insecureSkipVerify)
					.succeeds(),
				fault("self-signed certificate", tls(() -> TestCertificates.selfSigned("127.0.0.1"))).fails(TLS,
						"unable to find valid certification path"),
				fault("self-signed certificate, skip-verify", tls(() -> TestCertificates.selfSigned("127.0.0.1")))
					.target(TestTargets::insecureSkipVerify)
					.succeeds(),
				fault("host name mismatch", tls(() -> authority.valid("pulse.invalid"))).fails(TLS,
						"No subject alternative names matching IP address 127.0.0.1 found"),
				fault("host name mismatch, skip-verify", tls(() -> authority.valid("pulse.invalid")))
					.target(TestTargets::insecureSkipVerify)
					.succeeds(),
				fault("redirect loop, follow-redirects off", server(FaultServer.redirectLoop())).fails(CONDITION_FAILED,
						"condition failed: [STATUS] (302) == 200"),
				// reactor-netty gives up after its 50 redirects (MAX_REDIRECTS) and hands
				// back the
				// last 302: the status condition fails, and the status tells what
				// happened.
				fault("redirect loop, follow-redirects on", server(FaultServer.redirectLoop()))
					.transport(TestTransport::followRedirects)
					.fails(CONDITION_FAILED, "condition failed: [STATUS] (302) == 200")
					.then((results, peer) -> assertThat(peer.server().requestsServed()).isEqualTo(52)),
				fault("HTTP/1.0 response without a length", server(FaultServer.http10WithoutLength()))
					.target(target -> target.conditions("[STATUS] == 200", "[BODY].status == UP"))
					.succeeds()
					.then((results, peer) -> assertThat(last(results).bodyBytes()).isEqualTo(15)),
				fault("100 Continue before the 200", server(FaultServer.informational(100))).succeeds(),
				fault("103 Early Hints before the 200", server(FaultServer.informational(103))).probes(3)
					.succeeds()
					.then((results, peer) -> {
						assertThat(results).allMatch(result -> result.status() == 200);
						assertThat(results.get(2).connectionReused()).isTrue();
					}),
				fault("100 and two 103 before the 200, https",
						tls(FaultServer.informational(100, 103, 103), () -> authority.valid("127.0.0.1")))
					.succeeds(),
				fault("name that does not resolve", () -> Peer.of("http://no-such-host.invalid/health"))
					.transport(transport -> transport.dnsServers(dns.address()))
					.fails(DNS, "NXDOMAIN"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("faults")
	void probeShouldFailWithTheFaultsReasonWithinItsDeadlineAndLeaveNothingOpen(Fault fault) {
		int openBefore = Fds.openFileDescriptors();
		List<ProbeResult> results = new ArrayList<>();
		try (Peer peer = fault.peer().get();
				ProbeHarness harness = new ProbeHarness(
						fault.transport().apply(TestTransport.defaults()).build(trusted))) {
			Target target = fault.target().apply(target(peer.url()).timeout(fault.timeout())).build();
			for (int i = 0; i < fault.probes(); i++) {
				long start = System.nanoTime();
				ProbeResult result = harness.probe(target);
				long elapsedMs = (System.nanoTime() - start) / 1_000_000;
				results.add(result);
				assertThat(elapsedMs).as("probe %d took (ms); error: %s", i + 1, result.error())
					.isLessThanOrEqualTo(fault.timeout().toMillis() + SLACK_MS);
				// Back in the pool before the next probe, as scheduled probes of one
				// target
				// are.
				await().pollInterval(Duration.ofMillis(1))
					.atMost(Duration.ofSeconds(2))
					.until(() -> harness.transport().snapshot().active() == 0);
			}
			// Every channel the probes opened is closed or idle in the pool: none still
			// connecting, in a handshake or half-read after its probe gave up.
			await().atMost(Duration.ofSeconds(1))
				.untilAsserted(() -> assertThat(harness.transport().snapshot().hosts())
					.allSatisfy(host -> assertThat(host.opened() - host.closed()).as("open channels to %s", host.host())
						.isEqualTo(host.idle())));
			ProbeResult last = last(results);
			assertThat(last.reason()).as("reason; error: %s", last.error()).isEqualTo(fault.reason());
			assertThat(last.success()).isEqualTo(fault.reason() == null);
			if (fault.reason() == null) {
				assertThat(results).as("every probe").allMatch(ProbeResult::success);
			}
			if (fault.error() != null) {
				assertThat(last.error()).contains(fault.error());
			}
			fault.then().accept(results, peer);
		}
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(Fds.openFileDescriptors()).as("open file descriptors")
				.isLessThanOrEqualTo(openBefore));
	}

	/**
	 * The races behind "reset before the request": when the reset arrives as the connect
	 * completes, Netty reports it from {@code finishConnect} as a
	 * {@link ConnectException}, yet the peer had accepted the connection; when it fails
	 * the request's write, reactor-netty reports a premature close caused by it.
	 */
	@Test
	void resetReportedByTheConnectShouldBeAResetNotARefusal() {
		assertThat(FailureClassifier
			.classify(new ConnectException("finishConnect(..) failed with error(-104): Connection reset by peer")))
			.isEqualTo(CONNECTION_RESET);
		assertThat(FailureClassifier
			.classify(new ConnectException("finishConnect(..) failed with error(-111): Connection refused")))
			.isEqualTo(CONNECTION_REFUSED);
		// PrematureCloseException cannot be built outside reactor-netty; the classifier
		// treats ClosedChannelException alike.
		Throwable closedByReset = new ClosedChannelException()
			.initCause(new IOException("sendAddress(..) failed with error(-104): Connection reset by peer"));
		assertThat(FailureClassifier.classify(closedByReset)).isEqualTo(CONNECTION_RESET);
		assertThat(FailureClassifier.classify(new ClosedChannelException())).isEqualTo(PREMATURE_CLOSE);
	}

	private static ProbeResult last(List<ProbeResult> results) {
		return results.get(results.size() - 1);
	}

	private static Fault fault(String name, Supplier<Peer> peer) {
		return new Fault(name, peer, UnaryOperator.identity(), UnaryOperator.identity(), 1, PROBE_TIMEOUT, null, null,
				(results, server) -> {
				});
	}

	private static Supplier<Peer> server(FaultServer.Behaviour behaviour) {
		return () -> Peer.of(FaultServer.start(behaviour));
	}

	private static Supplier<Peer> tls(Supplier<Credential> credential) {
		return tls(FaultServer.healthy(), credential);
	}

	private static Supplier<Peer> tls(FaultServer.Behaviour behaviour, Supplier<Credential> credential) {
		return () -> Peer.of(FaultServer.start(behaviour, credential.get().serverContext()));
	}

	private static Peer refusedPort() {
		return Peer.of("http://127.0.0.1:" + FaultServer.refusedPort() + "/health");
	}

	private static Peer fullBacklog() {
		FullBacklog backlog = FullBacklog.start();
		return new Peer(backlog.url("/health"), backlog, null);
	}

	/** A plain server that never answers, probed over https: the handshake never ends. */
	private static Peer tlsHang() {
		FaultServer server = FaultServer.start(FaultServer.hangAfterAccept());
		return new Peer("https://127.0.0.1:" + server.port() + "/health", server, server);
	}

	/**
	 * One row of the matrix.
	 *
	 * @param name what the peer does
	 * @param peer starts the peer
	 * @param target adjusts the target, whose URL is the peer's and timeout the row's
	 * @param transport adjusts the transport's settings
	 * @param probes how many probes run one after the other
	 * @param timeout the target's timeout
	 * @param reason the last probe's expected reason; null for success
	 * @param error text the last probe's error contains; null for no check
	 * @param then further checks on the results and the peer
	 */
	record Fault(String name, Supplier<Peer> peer, UnaryOperator<TestTargets> target,
			UnaryOperator<TestTransport> transport, int probes, Duration timeout, @Nullable FailureReason reason,
			@Nullable String error, BiConsumer<List<ProbeResult>, Peer> then) {

		Fault target(UnaryOperator<TestTargets> target) {
			return new Fault(this.name, this.peer, target, this.transport, this.probes, this.timeout, this.reason,
					this.error, this.then);
		}

		Fault transport(UnaryOperator<TestTransport> transport) {
			return new Fault(this.name, this.peer, this.target, transport, this.probes, this.timeout, this.reason,
					this.error, this.then);
		}

		Fault probes(int probes) {
			return new Fault(this.name, this.peer, this.target, this.transport, probes, this.timeout, this.reason,
					this.error, this.then);
		}

		Fault timeout(Duration timeout) {
			return new Fault(this.name, this.peer, this.target, this.transport, this.probes, timeout, this.reason,
					this.error, this.then);
		}

		Fault fails(FailureReason reason, @Nullable String error) {
			return new Fault(this.name, this.peer, this.target, this.transport, this.probes, this.timeout, reason,
					error, this.then);
		}

		Fault succeeds() {
			return new Fault(this.name, this.peer, this.target, this.transport, this.probes, this.timeout, null, null,
					this.then);
		}

		Fault then(BiConsumer<List<ProbeResult>, Peer> then) {
			return new Fault(this.name, this.peer, this.target, this.transport, this.probes, this.timeout, this.reason,
					this.error, then);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	/**
	 * What a probe talks to: its URL, what to close afterwards, and the fault server when
	 * there is one.
	 */
	record Peer(String url, @Nullable AutoCloseable resource, @Nullable FaultServer server) implements AutoCloseable {

		static Peer of(FaultServer server) {
			return new Peer(server.url("/health"), server, server);
		}

		static Peer of(String url) {
			return new Peer(url, null, null);
		}

		@Override
		public void close() {
			if (this.resource != null) {
				try {
					this.resource.close();
				}
				catch (Exception ex) {
					throw new IllegalStateException("cannot close the peer of " + this.url, ex);
				}
			}
		}

	}

}
