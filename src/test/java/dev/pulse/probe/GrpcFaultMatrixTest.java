package dev.pulse.probe;

import java.security.KeyStore;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.net.ssl.TrustManagerFactory;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
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
import dev.pulse.support.HealthServer;
import dev.pulse.support.HeartbeatServer;
import dev.pulse.support.HeartbeatServer.Behaviour;
import dev.pulse.support.TestCertificates;
import dev.pulse.support.TestTargets;
import dev.pulse.support.TestTransport;
import dev.pulse.target.Target;
import dev.pulse.transport.ProbeTransport;

import static dev.pulse.probe.FailureReason.BLOCKED;
import static dev.pulse.probe.FailureReason.CONDITION_FAILED;
import static dev.pulse.probe.FailureReason.CONNECTION_REFUSED;
import static dev.pulse.probe.FailureReason.GRPC_ERROR;
import static dev.pulse.probe.FailureReason.NOT_SERVING;
import static dev.pulse.probe.FailureReason.TIMEOUT;
import static dev.pulse.probe.FailureReason.TLS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fault matrix of {@code grpc://} targets against grpc-java's own health service and
 * plain sockets that are not gRPC: each row's reason and message within the probe's
 * deadline, and, once the prober lets go of its channels, no connection left at the
 * server and no descriptor more in this JVM.
 */
@Timeout(90)
class GrpcFaultMatrixTest {

	private static final long SLACK_MS = 600;

	private static final Duration TIMEOUT_500 = Duration.ofMillis(500);

	private static TestCertificates authority;

	@BeforeAll
	static void createTheAuthority() {
		authority = TestCertificates.authority();
	}

	/** A row: the server, the target on it, and what must come out. */
	record Row(String name, Supplier<AutoCloseable> server, Function<AutoCloseable, TestTargets> target,
			@Nullable FailureReason reason, @Nullable String error) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	private static Function<AutoCloseable, TestTargets> grpc(String scheme, String path) {
		return server -> TestTargets.target(url(server, scheme, path));
	}

	private static String url(AutoCloseable server, String scheme, String path) {
		if (server instanceof HealthServer health) {
			return health.url(scheme, path);
		}
		return ((HeartbeatServer) server).url(scheme) + path;
	}

	static Stream<Row> rows() {
		return Stream.of(new Row("SERVING", HealthServer::serving, grpc("grpc", ""), null, null),
				new Row("SERVING, read by a [BODY] condition", HealthServer::serving,
						grpc("grpc", "").andThen(t -> t.conditions("[BODY] == SERVING", "[RESPONSE_TIME] < 5000")),
						null, null),
				new Row("a named service SERVING",
						() -> HealthServer.serving().status("orders.v1.Orders", ServingStatus.SERVING),
						grpc("grpc", "/orders.v1.Orders"), null, null),
				new Row("NOT_SERVING", () -> HealthServer.serving().status("", ServingStatus.NOT_SERVING),
						grpc("grpc", ""), NOT_SERVING, "health status NOT_SERVING"),
				new Row("a named service NOT_SERVING",
						() -> HealthServer.serving().status("orders.v1.Orders", ServingStatus.NOT_SERVING),
						grpc("grpc", "/orders.v1.Orders"), NOT_SERVING, "health status NOT_SERVING"),
				new Row("a condition against the status", () -> HealthServer.serving(),
						grpc("grpc", "").andThen(t -> t.conditions("[BODY] == NOT_SERVING")), CONDITION_FAILED,
						"condition failed: [BODY]"),
				new Row("unknown service name", HealthServer::serving, grpc("grpc", "/no.such.Service"), GRPC_ERROR,
						"NOT_FOUND"),
				new Row("no health service", HealthServer::withoutHealth, grpc("grpc", ""), GRPC_ERROR,
						"UNIMPLEMENTED"),
				new Row("health answer after the deadline", () -> HealthServer.slow(Duration.ofSeconds(2)),
						grpc("grpc", "").andThen(t -> t.timeout(TIMEOUT_500)), TIMEOUT, "timed out after 500 ms"),
				new Row("hang after accept", () -> HeartbeatServer.start(Behaviour.HANG),
						grpc("grpc", "").andThen(t -> t.timeout(TIMEOUT_500)), TIMEOUT, "timed out after 500 ms"),
				new Row("a server that is not gRPC", () -> HeartbeatServer.start(Behaviour.WRONG_ANSWER),
						grpc("grpc", ""), null, null),
				new Row("reset on accept", () -> HeartbeatServer.start(Behaviour.RESET), grpc("grpc", ""), null, null),
				new Row("grpcs, SERVING", () -> HealthServer.serving(authority.valid("127.0.0.1")),
						grpc("grpcs", "").andThen(t -> t.conditions("[CERTIFICATE_EXPIRATION] > 48h")), null, null),
				new Row("grpcs, expired certificate", () -> HealthServer.serving(authority.expired("127.0.0.1")),
						grpc("grpcs", ""), TLS, null),
				new Row("grpcs, self-signed certificate",
						() -> HealthServer.serving(TestCertificates.selfSigned("127.0.0.1")), grpc("grpcs", ""), TLS,
						null),
				new Row("grpcs, self-signed certificate, skip-verify",
						() -> HealthServer.serving(TestCertificates.selfSigned("127.0.0.1")),
						grpc("grpcs", "").andThen(TestTargets::insecureSkipVerify), null, null));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("rows")
	void probeShouldEndWithTheRowsReasonWithinItsDeadlineAndLeaveNothingOpen(Row row) throws Exception {
		int openBefore = Fds.openFileDescriptors();
		try (ProbeTransport transport = TestTransport.defaults().build(); AutoCloseable server = row.server().get()) {
			Target target = row.target().apply(server).build();
			try (GrpcProber prober = new GrpcProber(transport, trust())) {
				for (int i = 0; i < 3; i++) {
					long start = System.nanoTime();
					ProbeResult result = prober.probe(target).block(Duration.ofSeconds(10));
					long elapsedMs = (System.nanoTime() - start) / 1_000_000;
					assertThat(elapsedMs).as("probe took (ms); error: %s", result.error())
						.isLessThanOrEqualTo(target.timeout().toMillis() + SLACK_MS);
					if (row.reason() != null || row.error() != null || server instanceof HealthServer) {
						assertThat(result.reason()).as("reason; error: %s", result.error()).isEqualTo(row.reason());
						assertThat(result.success()).isEqualTo(row.reason() == null);
					}
					else {
						// Not gRPC at all: a failure, whichever transport reason it is.
						assertThat(result.success()).isFalse();
						assertThat(result.reason()).as(result.error())
							.isIn(FailureReason.PROTOCOL_ERROR, GRPC_ERROR, FailureReason.CONNECTION_RESET,
									FailureReason.PREMATURE_CLOSE);
					}
					if (row.error() != null) {
						assertThat(result.error()).contains(row.error());
					}
					assertThat(result.status()).isNull();
					if (row.reason() == null && server instanceof HealthServer) {
						assertThat(result.ip()).isEqualTo("127.0.0.1");
					}
					if (target.secure() && result.success()) {
						assertThat(result.certificate()).isNotNull();
					}
				}
				assertThat(prober.channels()).as("one channel per target").isLessThanOrEqualTo(1);
			}
			if (server instanceof HealthServer health) {
				await().atMost(Duration.ofSeconds(5)).until(() -> health.openConnections() == 0);
			}
			else {
				HeartbeatServer heartbeat = (HeartbeatServer) server;
				await().atMost(Duration.ofSeconds(5)).until(() -> heartbeat.openConnections() == 0);
			}
		}
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(Fds.openFileDescriptors()).as("open file descriptors")
				.isLessThanOrEqualTo(openBefore));
	}

	@Test
	void probesShouldRideOneConnectionPerTarget() throws Exception {
		try (ProbeTransport transport = TestTransport.defaults().build();
				HealthServer server = HealthServer.serving();
				GrpcProber prober = new GrpcProber(transport, null)) {
			Target target = TestTargets.target(server.url("grpc", "")).build();
			for (int i = 0; i < 5; i++) {
				assertThat(prober.probe(target).block(Duration.ofSeconds(10)).success()).isTrue();
			}
			assertThat(server.openConnections()).isEqualTo(1);
			assertThat(prober.channels()).isEqualTo(1);
		}
	}

	@Test
	void aRefusedPortShouldFailAsRefused() throws Exception {
		try (ProbeTransport transport = TestTransport.defaults().build();
				GrpcProber prober = new GrpcProber(transport, null)) {
			ProbeResult result = prober
				.probe(TestTargets.target("grpc://127.0.0.1:" + FaultServer.refusedPort()).build())
				.block(Duration.ofSeconds(10));
			assertThat(result.reason()).as(result.error()).isEqualTo(CONNECTION_REFUSED);
		}
	}

	@Test
	void aTargetOnADeniedAddressShouldBeBlockedBeforeAnyConnection() throws Exception {
		SsrfPolicy deny = new SsrfPolicy(SsrfProperties.defaults());
		try (ProbeTransport transport = new ProbeTransport(TestTransport.defaults().properties(), "Pulse/test", deny);
				HealthServer server = HealthServer.serving();
				GrpcProber prober = new GrpcProber(transport, null)) {
			ProbeResult result = prober
				.probe(TestTargets.target(server.url("grpc", "")).source(Target.Source.API).build())
				.block(Duration.ofSeconds(10));
			assertThat(result.reason()).as(result.error()).isEqualTo(BLOCKED);
			assertThat(server.openConnections()).isZero();
		}
	}

	/** Trust the test authority, as the JVM's trust store would a public one. */
	private static TrustManagerFactory trust() throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(null, null);
		store.setCertificateEntry("ca", authority.certificate());
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(store);
		return factory;
	}

}
