package dev.pulse.probe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.pulse.support.Fds;
import dev.pulse.support.FaultServer;
import dev.pulse.support.HeartbeatServer;
import dev.pulse.support.HeartbeatServer.Behaviour;
import dev.pulse.support.TestTargets;
import dev.pulse.support.TestTransport;
import dev.pulse.target.RetryProperties;
import dev.pulse.target.Target;
import dev.pulse.transport.ProbeTransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code heartbeat: persistent}: one long-lived connection per target, a ping per probe
 * and the pong within the timeout, against the article's heartbeat server and its faults.
 */
@Timeout(60)
class PersistentHeartbeatTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static TestTargets heartbeat(String url) {
		return TestTargets.target(url)
			.interval(Duration.ofSeconds(1))
			.timeout(Duration.ofMillis(300))
			.tcp("\\x01", "\\x02", null)
			.heartbeat("persistent");
	}

	private static ProbeResult probe(TcpProber prober, Target target) {
		return prober.probe(target).block(WAIT);
	}

	@Test
	void everyProbeRidesOneConnection() {
		int before = Fds.openFileDescriptors();
		try (ProbeTransport transport = TestTransport.defaults().build();
				HeartbeatServer server = HeartbeatServer.start(Behaviour.PONG)) {
			TcpProber prober = new TcpProber(transport);
			Target target = heartbeat(server.url()).build();
			List<ProbeResult> results = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				results.add(probe(prober, target));
			}
			assertThat(results).allSatisfy(result -> {
				assertThat(result.success()).as(result.error()).isTrue();
				assertThat(result.bodyBytes()).isEqualTo(1);
				assertThat(result.phases().ttfbMs()).as("ping to pong").isNotNull();
			});
			assertThat(results.get(0).connectionReused()).isFalse();
			assertThat(results.get(0).phases().connectMs()).isNotNull();
			assertThat(results.subList(1, 5)).allMatch(ProbeResult::connectionReused);
			assertThat(server.acceptedConnections()).isEqualTo(1);
			assertThat(server.pings()).isEqualTo(5);
			assertThat(server.openConnections()).isEqualTo(1);
			assertThat(prober.persistentConnections()).isEqualTo(1);
		}
		await().atMost(WAIT).untilAsserted(() -> assertThat(Fds.openFileDescriptors()).isLessThanOrEqualTo(before));
	}

	@Test
	void aConnectionThePeerClosedIsReportedThenOpenedAgain() {
		try (ProbeTransport transport = TestTransport.defaults().build();
				HeartbeatServer server = HeartbeatServer.start(Behaviour.PONG)) {
			TcpProber prober = new TcpProber(transport);
			Target target = heartbeat(server.url()).build();
			assertThat(probe(prober, target).success()).isTrue();
			server.dropConnections();
			await().atMost(WAIT).until(() -> prober.persistentConnections() == 0);

			ProbeResult broken = probe(prober, target);
			assertThat(broken.reason()).isEqualTo(FailureReason.CLOSED);
			assertThat(broken.error()).contains("the connection was closed since the last probe");
			ProbeResult again = probe(prober, target);
			assertThat(again.success()).as(again.error()).isTrue();
			assertThat(again.connectionReused()).isFalse();
			assertThat(server.acceptedConnections()).isEqualTo(2);
		}
	}

	@Test
	void aMissedPongClosesTheConnection() {
		for (Behaviour behaviour : List.of(Behaviour.HANG, Behaviour.SLOW_PONG)) {
			try (ProbeTransport transport = TestTransport.defaults().build();
					HeartbeatServer server = HeartbeatServer.start(behaviour)) {
				TcpProber prober = new TcpProber(transport);
				long start = System.nanoTime();
				ProbeResult result = probe(prober, heartbeat(server.url()).build());
				assertThat((System.nanoTime() - start) / 1_000_000).isLessThanOrEqualTo(300 + 400);
				assertThat(result.reason()).as(behaviour.name()).isEqualTo(FailureReason.NO_PONG);
				assertThat(result.error()).isEqualTo("no pong within the timeout");
				await().atMost(WAIT).until(() -> server.openConnections() == 0);
				assertThat(prober.persistentConnections()).isZero();
			}
		}
	}

	@Test
	void aResetWhileAPongIsAwaitedIsClosed() {
		try (ProbeTransport transport = TestTransport.defaults().build();
				HeartbeatServer server = HeartbeatServer.start(Behaviour.CLOSE)) {
			ProbeResult result = probe(new TcpProber(transport), heartbeat(server.url()).build());
			assertThat(result.reason()).isIn(FailureReason.CLOSED, FailureReason.CONNECTION_RESET);
		}
	}

	@Test
	void afterAFailedConnectTheNextWaitsForTheBackoff() {
		try (ProbeTransport transport = TestTransport.defaults().build()) {
			TcpProber prober = new TcpProber(transport);
			Target target = heartbeat("tcp://127.0.0.1:" + FaultServer.refusedPort())
				.retry(new RetryProperties(1, Duration.ofSeconds(5), 2.0, 0.0, Duration.ofSeconds(30), null))
				.build();
			ProbeResult refused = probe(prober, target);
			assertThat(refused.reason()).isEqualTo(FailureReason.CONNECTION_REFUSED);
			ProbeResult waiting = probe(prober, target);
			assertThat(waiting.reason()).isEqualTo(FailureReason.CONNECTION_REFUSED);
			assertThat(waiting.error()).contains("not reconnecting for another").contains("retry backoff");
			assertThat(waiting.durationMs()).as("no connect was tried").isLessThan(50);
		}
	}

	@Test
	void aConnectionNoProbeUsesIsClosedBySweep() {
		try (ProbeTransport transport = TestTransport.defaults().build();
				HeartbeatServer server = HeartbeatServer.start(Behaviour.PONG)) {
			TcpProber prober = new TcpProber(transport);
			Target target = heartbeat(server.url()).interval(Duration.ofMillis(200))
				.timeout(Duration.ofMillis(100))
				.build();
			assertThat(probe(prober, target).success()).isTrue();
			assertThat(server.openConnections()).isEqualTo(1);
			// Removed, disabled or moved to another replica: no probe comes any more.
			await().atMost(WAIT).until(() -> server.openConnections() == 0);
			assertThat(prober.persistentConnections()).isZero();
		}
	}

	@Test
	void aHundredTargetsHoldAHundredConnectionsRoundAfterRound() {
		try (ProbeTransport transport = TestTransport.defaults().build();
				HeartbeatServer server = HeartbeatServer.start(Behaviour.PONG)) {
			TcpProber prober = new TcpProber(transport);
			List<Target> targets = new ArrayList<>();
			for (int i = 0; i < 100; i++) {
				targets.add(heartbeat(server.url()).name("hb-" + i).build());
			}
			for (int round = 0; round < 5; round++) {
				List<ProbeResult> results = reactor.core.publisher.Flux.fromIterable(targets)
					.flatMap(prober::probe)
					.collectList()
					.block(WAIT);
				assertThat(results).allMatch(ProbeResult::success);
				assertThat(server.openConnections()).as("round %d", round).isEqualTo(100);
			}
			assertThat(server.acceptedConnections()).isEqualTo(100);
			assertThat(server.pings()).isEqualTo(500);
		}
	}

	@Test
	void persistentNeedsATcpPingAndPong() {
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> TestTargets.target("tcp://127.0.0.1:7000").heartbeat("persistent").build())
			.hasMessageContaining("heartbeat: persistent needs a tcp:// URL with tcp.send");
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> TestTargets.target("tcp://127.0.0.1:7000").heartbeat("forever").build())
			.hasMessageContaining("must be per-probe or persistent");
	}

}
