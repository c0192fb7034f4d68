package dev.pulse.probe;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import dev.pulse.support.Fds;
import dev.pulse.support.FaultServer;
import dev.pulse.support.TestTransport;
import dev.pulse.target.Target;

import static dev.pulse.support.TestTargets.target;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The probe engine against real loopback servers: reuse, deadlines, body handling and
 * failure reasons, with the pool checked empty after every test.
 */
class HttpProberTest {

	/**
	 * What a deadline may overrun by: timer granularity and scheduling noise, never a
	 * stall.
	 */
	private static final long DEADLINE_SLACK_MS = 400;

	private ProbeHarness harness = new ProbeHarness(TestTransport.defaults());

	@AfterEach
	void poolIsEmptyAfterwards() {
		this.harness.close();
	}

	private ProbeResult probe(Target target) {
		return this.harness.probe(target);
	}

	private ProbeResult probeAndSettle(Target target) {
		return this.harness.probeAndSettle(target);
	}

	@Test
	void probeWhenServerIsHealthyShouldSucceedWithPhases() {
		try (FaultServer server = FaultServer.start(FaultServer.healthy())) {
			ProbeResult first = probeAndSettle(target(server.url("/health")).build());
			ProbeResult second = probeAndSettle(target(server.url("/health")).build());

			assertThat(first.success()).isTrue();
			assertThat(first.status()).isEqualTo(200);
			assertThat(first.reason()).isNull();
			assertThat(first.error()).isNull();
			assertThat(first.ip()).isEqualTo("127.0.0.1");
			assertThat(first.bodyBytes()).isEqualTo("{\"status\":\"UP\"}".length());
			assertThat(first.connectionReused()).isFalse();
			assertThat(first.phases().connectMs()).isNotNull().isGreaterThanOrEqualTo(0.0);
			assertThat(first.phases().dnsMs()).as("no DNS for an IP literal").isNull();
			assertThat(first.phases().tlsMs()).isNull();
			assertThat(first.phases().ttfbMs()).isNotNull();
			assertThat(first.phases().transferMs()).isNotNull();
			assertThat(first.conditions()).singleElement().satisfies(condition -> {
				assertThat(condition.success()).isTrue();
				assertThat(condition.output()).isEqualTo("[STATUS] == 200");
			});
			assertThat(second.connectionReused()).isTrue();
			assertThat(second.phases().connectMs()).as("no connect on a reused connection").isNull();
			assertThat(second.phases().acquireMs()).isNotNull();
			assertThat(server.acceptedConnections()).isEqualTo(1);
		}
	}

	@Test
	void conditionsShouldReadBodyHeadersAddressAndConnection() {
		try (FaultServer server = FaultServer.start(FaultServer.healthy())) {
			ProbeResult result = probe(target(server.url("/health"))
				.conditions("[BODY].status == UP", "[BODY] == pat(*UP*)", "[HEADERS].content-type == application/json",
						"[IP] == 127.0.0.1", "[CONNECTED] == true", "len([BODY].status) == 2")
				.build());

			assertThat(result.conditions())
				.allSatisfy(condition -> assertThat(condition.success()).as(condition.output()).isTrue());
			assertThat(result.success()).isTrue();
		}
	}

	@Test
	void conditionsOnAFailedConnectionShouldExplainWithGatusOutput() {
		ProbeResult result = probe(target("http://127.0.0.1:" + FaultServer.refusedPort() + "/health")
			.conditions("[CONNECTED] == true", "[BODY].status == UP")
			.build());

		assertThat(result.reason()).isEqualTo(FailureReason.CONNECTION_REFUSED);
		assertThat(result.conditions()).extracting(c -> c.output())
			.containsExactly("[CONNECTED] (false) == true", "[BODY].status (INVALID) == UP");
	}

	@Test
	void bodyConditionShouldSeeTheBodyEvenWhenItArrivesInManyReads() {
		try (FaultServer server = FaultServer.start(FaultServer.trickle(Duration.ofMillis(1)))) {
			ProbeResult result = probe(target(server.url("/health")).timeout(Duration.ofSeconds(8))
				.conditions("len([BODY]) == 1000")
				.build());

			assertThat(result.bodyBytes()).isEqualTo(1000);
			assertThat(result.conditions().get(0).output()).as(result.error()).isEqualTo("len([BODY]) == 1000");
		}
	}

	@Test
	void sequentialProbesToKeepAliveServerShouldUseOneConnection() {
		try (FaultServer server = FaultServer.start(FaultServer.healthy())) {
			Target target = target(server.url("/health")).build();
			List<ProbeResult> results = IntStream.range(0, 200).mapToObj(i -> probeAndSettle(target)).toList();

			assertThat(results).allMatch(ProbeResult::success);
			assertThat(results.stream().filter(ProbeResult::connectionReused).count()).isEqualTo(199);
			assertThat(server.acceptedConnections()).isEqualTo(1);
			assertThat(server.requestsServed()).isEqualTo(200);
		}
	}

	@Test
	void concurrentProbesToOneHostShouldStayWithinTheCapPerHost() {
		try (FaultServer server = FaultServer.start(FaultServer.slow(Duration.ofMillis(50)))) {
			Target target = target(server.url("/health")).build();
			List<ProbeResult> results = Flux.range(0, 400)
				.flatMap(i -> this.harness.probeLater(target), 64)
				.collectList()
				.block(Duration.ofSeconds(30));

			assertThat(results).hasSize(400).allMatch(ProbeResult::success);
			assertThat(server.acceptedConnections()).isEqualTo(8);
			assertThat(results.stream().filter(r -> r.phases().acquireMs() > 20).count())
				.as("probes that queued for a pooled connection report it as acquire time")
				.isPositive();
		}
	}

	@Test
	void probesWhenServerClosesEachConnectionShouldNotGrowOpenFiles() {
		try (FaultServer server = FaultServer.start(FaultServer.closeEach())) {
			Target target = target(server.url("/health")).build();
			IntStream.range(0, 50).forEach(i -> assertThat(probe(target).success()).isTrue());
			long afterWarmUp = Fds.openFileDescriptors();
			List<ProbeResult> results = IntStream.range(0, 300).mapToObj(i -> probe(target)).toList();
			long afterMore = Fds.openFileDescriptors();

			assertThat(results).allMatch(ProbeResult::success).noneMatch(ProbeResult::connectionReused);
			assertThat(server.acceptedConnections()).isEqualTo(350);
			assertThat(afterMore).as("open FDs after 300 more probes").isLessThanOrEqualTo(afterWarmUp + 4);
		}
	}

	@Test
	void probeWhenStatusIs500ShouldFailTheConditionWithGatusOutput() {
		try (FaultServer server = FaultServer.start(FaultServer.status(500))) {
			ProbeResult result = probe(target(server.url("/health")).build());

			assertThat(result.success()).isFalse();
			assertThat(result.status()).isEqualTo(500);
			assertThat(result.reason()).isEqualTo(FailureReason.CONDITION_FAILED);
			assertThat(result.error()).isEqualTo("condition failed: [STATUS] (500) == 200");
			assertThat(result.conditions()).singleElement()
				.satisfies(condition -> assertThat(condition.output()).isEqualTo("[STATUS] (500) == 200"));
		}
	}

	@Test
	void probeWhenServerIsSlowShouldMeasureItAndCheckResponseTime() {
		try (FaultServer server = FaultServer.start(FaultServer.slow(Duration.ofMillis(300)))) {
			ProbeResult result = probe(target(server.url("/health")).timeout(Duration.ofSeconds(2))
				.conditions("[STATUS] == 200", "[RESPONSE_TIME] < 100")
				.build());

			assertThat(result.status()).isEqualTo(200);
			assertThat(result.durationMs()).isGreaterThanOrEqualTo(300.0);
			assertThat(result.phases().ttfbMs()).isGreaterThanOrEqualTo(300.0);
			assertThat(result.reason()).isEqualTo(FailureReason.CONDITION_FAILED);
			assertThat(result.conditions().get(1).success()).isFalse();
			assertThat(result.conditions().get(1).output()).matches("\\[RESPONSE_TIME\\] \\(\\d{3,}\\) < 100");
		}
	}

	@Test
	void probeWhenServerHangsAfterAcceptShouldTimeOutWithinDeadlineAndCloseTheConnection() {
		try (FaultServer server = FaultServer.start(FaultServer.hangAfterAccept())) {
			long start = System.nanoTime();
			ProbeResult result = probe(target(server.url("/health")).timeout(Duration.ofMillis(500)).build());
			long elapsedMs = (System.nanoTime() - start) / 1_000_000;

			assertThat(result.reason()).isEqualTo(FailureReason.TIMEOUT);
			assertThat(result.error()).isEqualTo("timed out after 500 ms waiting for the response headers");
			assertThat(result.status()).isNull();
			assertThat(result.conditions()).singleElement()
				.satisfies(condition -> assertThat(condition.output()).isEqualTo("[STATUS] (0) == 200"));
			assertThat(elapsedMs).isBetween(500L, 500 + DEADLINE_SLACK_MS);
			await().atMost(Duration.ofSeconds(2)).until(() -> server.openConnections() == 0);
		}
	}

	@Test
	void probeWhenServerHangsAfterHeadersShouldTimeOutReadingTheBody() {
		try (FaultServer server = FaultServer.start(FaultServer.hangAfterHeaders())) {
			long start = System.nanoTime();
			ProbeResult result = probe(target(server.url("/health")).timeout(Duration.ofMillis(400)).build());
			long elapsedMs = (System.nanoTime() - start) / 1_000_000;

			assertThat(result.reason()).isEqualTo(FailureReason.TIMEOUT);
			assertThat(result.status()).isEqualTo(200);
			assertThat(result.error()).isEqualTo("timed out after 400 ms reading the body");
			assertThat(elapsedMs).isBetween(400L, 400 + DEADLINE_SLACK_MS);
			await().atMost(Duration.ofSeconds(2)).until(() -> server.openConnections() == 0);
		}
	}

	@Test
	void probeWhenBodyTricklesShouldTimeOutAtTheDeadlineNotPerRead() {
		try (FaultServer server = FaultServer.start(FaultServer.trickle(Duration.ofMillis(20)))) {
			long start = System.nanoTime();
			ProbeResult result = probe(target(server.url("/health")).timeout(Duration.ofMillis(600)).build());
			long elapsedMs = (System.nanoTime() - start) / 1_000_000;

			assertThat(result.reason()).isEqualTo(FailureReason.TIMEOUT);
			assertThat(result.error()).isEqualTo("timed out after 600 ms reading the body");
			assertThat(result.bodyBytes()).isBetween(1L, 999L);
			assertThat(elapsedMs).isBetween(600L, 600 + DEADLINE_SLACK_MS);
			await().atMost(Duration.ofSeconds(2)).until(() -> server.openConnections() == 0);
		}
	}

	@Test
	void probeWhenServerResetsAfterRequestShouldReportConnectionReset() {
		try (FaultServer server = FaultServer.start(FaultServer.resetAfterRequest())) {
			ProbeResult result = probe(target(server.url("/health")).build());

			assertThat(result.success()).isFalse();
			assertThat(result.reason()).isEqualTo(FailureReason.CONNECTION_RESET);
			assertThat(result.staleConnectionRetried()).isFalse();
		}
	}

	@Test
	void probeWhenServerSendsGarbageShouldReportProtocolError() {
		try (FaultServer server = FaultServer.start(FaultServer.garbage())) {
			ProbeResult result = probe(target(server.url("/health")).build());

			assertThat(result.success()).isFalse();
			assertThat(result.reason()).isEqualTo(FailureReason.PROTOCOL_ERROR);
			assertThat(result.error()).isNotBlank();
		}
	}

	@Test
	void probeWhenBodyDeclaresMoreThanTheCapShouldFailWithoutReadingIt() {
		try (FaultServer server = FaultServer.start(FaultServer.hugeBody(100L * 1024 * 1024))) {
			ProbeResult result = probe(target(server.url("/health")).build());

			assertThat(result.reason()).isEqualTo(FailureReason.BODY_TOO_LARGE);
			assertThat(result.status()).isEqualTo(200);
			assertThat(result.bodyBytes()).isLessThanOrEqualTo(1024 * 1024);
			assertThat(result.error()).isEqualTo("response body exceeds max-body-bytes (1048576 bytes)");
			await().atMost(Duration.ofSeconds(2)).until(() -> server.openConnections() == 0);
		}
	}

	@Test
	void probeWhenStreamedBodyPassesTheCapShouldStopReadingAtTheCap() {
		try (FaultServer server = FaultServer.start(FaultServer.hugeBodyWithoutLength(100L * 1024 * 1024))) {
			ProbeResult result = probe(target(server.url("/health")).build());

			assertThat(result.reason()).isEqualTo(FailureReason.BODY_TOO_LARGE);
			assertThat(result.bodyBytes()).isGreaterThan(1024 * 1024).isLessThan(2 * 1024 * 1024);
			await().atMost(Duration.ofSeconds(2)).until(() -> server.openConnections() == 0);
		}
	}

	@Test
	void probeWhenPortIsRefusedShouldReportConnectionRefused() {
		ProbeResult result = probe(target("http://127.0.0.1:" + FaultServer.refusedPort() + "/health").build());

		assertThat(result.success()).isFalse();
		assertThat(result.reason()).isEqualTo(FailureReason.CONNECTION_REFUSED);
		assertThat(result.status()).isNull();
		assertThat(result.error()).containsIgnoringCase("refused");
		assertThat(result.durationMs()).isLessThan(1000);
	}

	@Test
	void probeWhenPooledConnectionWasClosedByPeerShouldRepeatOnceOnAFreshConnection() {
		try (FaultServer server = FaultServer.start(FaultServer.closeIdleAfterFirstResponse())) {
			Target target = target(server.url("/health")).build();
			ProbeResult first = probeAndSettle(target);
			ProbeResult second = probeAndSettle(target);

			assertThat(first.success()).isTrue();
			assertThat(first.staleConnectionRetried()).isFalse();
			assertThat(second.success()).isTrue();
			assertThat(second.staleConnectionRetried()).isTrue();
			assertThat(second.connectionReused()).isFalse();
			assertThat(server.acceptedConnections()).isEqualTo(2);
		}
	}

	@Test
	void probeAfterServerClosedAnIdleConnectionShouldOpenANewOneWithoutRepeat() throws InterruptedException {
		try (FaultServer server = FaultServer.start(FaultServer.idleClose(Duration.ofMillis(100)))) {
			Target target = target(server.url("/health")).build();
			ProbeResult first = probe(target);
			await().atMost(Duration.ofSeconds(2)).until(() -> server.openConnections() == 0);
			Thread.sleep(50);
			ProbeResult second = probe(target);

			assertThat(first.success()).isTrue();
			assertThat(second.success()).isTrue();
			assertThat(second.staleConnectionRetried()).isFalse();
			assertThat(second.connectionReused()).isFalse();
			assertThat(server.acceptedConnections()).isEqualTo(2);
		}
	}

	@Test
	void freshConnectionTargetShouldOpenAndCloseAConnectionPerProbe() {
		try (FaultServer server = FaultServer.start(FaultServer.healthy())) {
			Target target = target(server.url("/health")).freshConnection().build();
			List<ProbeResult> results = IntStream.range(0, 20).mapToObj(i -> probe(target)).toList();

			assertThat(results).allMatch(ProbeResult::success).noneMatch(ProbeResult::connectionReused);
			assertThat(results).allSatisfy(r -> assertThat(r.phases().connectMs()).isNotNull());
			assertThat(server.acceptedConnections()).isEqualTo(20);
			await().atMost(Duration.ofSeconds(2)).until(() -> server.openConnections() == 0);
		}
	}

	@Test
	void probesBeyondThePendingLimitShouldFailAtOnceWithPoolExhausted() {
		this.harness.close();
		this.harness = new ProbeHarness(TestTransport.defaults().maxConnectionsPerHost(1).pendingAcquireMaxCount(1));
		try (FaultServer server = FaultServer.start(FaultServer.slow(Duration.ofMillis(300)))) {
			Target target = target(server.url("/health")).build();
			List<ProbeResult> results = Flux.range(0, 5)
				.flatMap(i -> this.harness.probeLater(target))
				.collectList()
				.block(Duration.ofSeconds(10));

			assertThat(results).hasSize(5);
			assertThat(results.stream().filter(ProbeResult::success).count()).isBetween(1L, 2L);
			assertThat(results.stream().filter(r -> r.reason() == FailureReason.POOL_EXHAUSTED))
				.hasSizeGreaterThanOrEqualTo(3)
				.allSatisfy(r -> assertThat(r.durationMs()).isLessThan(250));
		}
	}

	@Test
	void probeWaitingForAPooledConnectionShouldTimeOutAtItsDeadline() {
		this.harness.close();
		this.harness = new ProbeHarness(TestTransport.defaults().maxConnectionsPerHost(1));
		try (FaultServer server = FaultServer.start(FaultServer.hangAfterAccept())) {
			var holder = this.harness.probeLater(target(server.url("/a")).timeout(Duration.ofSeconds(5)).build())
				.subscribe();
			await().atMost(Duration.ofSeconds(2)).until(() -> server.openConnections() == 1);

			long start = System.nanoTime();
			ProbeResult queued = probe(target(server.url("/b")).timeout(Duration.ofMillis(300)).build());
			long elapsedMs = (System.nanoTime() - start) / 1_000_000;
			int acceptedWhileQueued = server.acceptedConnections();
			holder.dispose();

			assertThat(queued.reason()).isEqualTo(FailureReason.TIMEOUT);
			assertThat(queued.error()).isEqualTo("timed out after 300 ms waiting for a connection");
			assertThat(queued.phases()).isEqualTo(Phases.NONE);
			assertThat(elapsedMs).isBetween(300L, 300 + DEADLINE_SLACK_MS);
			assertThat(acceptedWhileQueued).as("the cap held: the queued probe never got a connection").isEqualTo(1);
		}
	}

	@Test
	void cancellingAProbeShouldCloseItsConnection() {
		try (FaultServer server = FaultServer.start(FaultServer.hangAfterAccept())) {
			var subscription = this.harness
				.probeLater(target(server.url("/health")).timeout(Duration.ofSeconds(5)).build())
				.subscribe();
			await().atMost(Duration.ofSeconds(2)).until(() -> server.openConnections() == 1);
			subscription.dispose();

			await().atMost(Duration.ofSeconds(2)).until(() -> server.openConnections() == 0);
		}
	}

}
