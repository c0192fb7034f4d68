package dev.pulse.probe;

import java.time.Duration;

import reactor.core.publisher.Mono;

import dev.pulse.support.TestTransport;
import dev.pulse.target.Target;
import dev.pulse.transport.ProbeTransport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A transport and the real HTTP prober for one test. Closing it checks that the pool
 * holds no active connection and no pending acquire, then closes the pool.
 */
final class ProbeHarness implements AutoCloseable {

	private final ProbeTransport transport;

	private final HttpProber prober;

	ProbeHarness(TestTransport settings) {
		this(settings.build());
	}

	ProbeHarness(ProbeTransport transport) {
		this.transport = transport;
		this.prober = new HttpProber(transport);
	}

	HttpProber prober() {
		return this.prober;
	}

	ProbeTransport transport() {
		return this.transport;
	}

	Mono<ProbeResult> probeLater(Target target) {
		return this.prober.probe(target);
	}

	ProbeResult probe(Target target) {
		return this.prober.probe(target).block(Duration.ofSeconds(15));
	}

	/**
	 * Probe, then wait until the connection is back in the pool: no connection lent out
	 * and every open one idle. "None lent out" alone is not enough: reactor-pool counts a
	 * connection as released (acquiredSize drops) before its release handler has run and
	 * it is offered to the idle deque, so a probe fired in that window finds no idle
	 * connection, a free permit, and opens a second one (this made
	 * sequentialProbesToKeepAliveServerShouldUseOneConnection count 198 reuses under
	 * load). Scheduled probes of one target are always an interval apart.
	 */
	ProbeResult probeAndSettle(Target target) {
		ProbeResult result = probe(target);
		await().pollDelay(Duration.ZERO)
			.pollInterval(Duration.ofMillis(1))
			.atMost(Duration.ofSeconds(2))
			.until(() -> this.transport.snapshot()
				.hosts()
				.stream()
				.allMatch(host -> host.active() == 0 && host.idle() == host.opened() - host.closed()));
		return result;
	}

	@Override
	public void close() {
		try {
			await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
				assertThat(this.transport.snapshot().active()).as("active connections").isZero();
				assertThat(this.transport.snapshot().pending()).as("pending acquires").isZero();
			});
		}
		finally {
			this.transport.close(Duration.ofSeconds(5));
		}
	}

}
