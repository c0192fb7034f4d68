package dev.pulse.metrics;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.pulse.health.HealthProperties;
import dev.pulse.health.HealthTracker;
import dev.pulse.probe.FailureReason;
import dev.pulse.probe.Phases;
import dev.pulse.probe.ProbeResult;
import dev.pulse.routing.Router;
import dev.pulse.routing.RoutingProperties;
import dev.pulse.support.TestTargets;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;
import dev.pulse.transport.PeerCertificate;

import static dev.pulse.support.TestTargets.target;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What each result and slot records, and what a removal takes away, on a plain registry.
 */
class MetricsRecorderTest {

	private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final TargetRegistry targets = TestTargets.registry(
			target("http://127.0.0.1:8080/health").name("api").service("checkout"),
			target("https://127.0.0.1/").name("tls").service("billing"));

	private final HealthTracker health = new HealthTracker(new HealthProperties(2, 3, Duration.ofSeconds(1),
			Duration.ofSeconds(60), Duration.ofSeconds(1), 0.5, 20, 0.3, 50, null));

	private final MetricsRecorder recorder = recorder(this.meters, this.targets, true);

	private MetricsRecorder recorder(SimpleMeterRegistry registry, TargetRegistry targets, boolean targetHistograms) {
		return new MetricsRecorder(registry, targets, this.health,
				new Router(targets, this.health,
						new RoutingProperties(Duration.ofMillis(200), 0, 1.0, 50,
								new RoutingProperties.SlowStart(10, Duration.ZERO), Map.of())),
				new SocketTable(Path.of("/nonexistent"), 1, System::nanoTime), new MetricsProperties(targetHistograms));
	}

	private Target api() {
		return this.targets.find("api").orElseThrow();
	}

	private static ProbeResult fresh(double millis) {
		return new ProbeResult(NOW, true, 200, millis, new Phases(0.1, null, 0.3, null, 2.0, 0.4), false, false,
				"127.0.0.1", 15, null, null, List.of(), 1);
	}

	private static ProbeResult reused(double millis) {
		return new ProbeResult(NOW, true, 200, millis, new Phases(0.1, null, null, null, 2.0, 0.4), true, false,
				"127.0.0.1", 15, null, null, List.of(), 1);
	}

	private static ProbeResult refused() {
		return new ProbeResult(NOW, false, null, 1, Phases.NONE, false, false, null, 0,
				FailureReason.CONNECTION_REFUSED, "refused", List.of(), 1);
	}

	@Test
	void everyEnabledTargetShouldHaveItsGaugesBeforeAnyResult() {
		assertThat(this.meters.get("pulse.target.state").tags("target", "api", "state", "UNKNOWN").gauge().value())
			.isEqualTo(1);
		assertThat(this.meters.get("pulse.target.state").tags("target", "api", "state", "HEALTHY").gauge().value())
			.isZero();
		assertThat(this.meters.get("pulse.target.up").tags("target", "tls", "service", "billing").gauge().value())
			.isZero();
		assertThat(this.meters.find("pulse.target.last.probe.timestamp").tag("target", "api").gauge().value()).isNaN();
		assertThat(this.meters.find("pulse.target.sockets").meters()).as("no /proc here").isEmpty();
	}

	@Test
	void resultsShouldRecordDurationsPhasesProbesAndNewConnections() {
		this.recorder.onResult(api(), fresh(3.0));
		this.recorder.onResult(api(), reused(30.0));
		this.recorder.onResult(api(), refused());

		Timer success = this.meters.get("pulse.probe.duration")
			.tags("target", "api", "service", "checkout", "result", "success")
			.timer();
		assertThat(success.count()).isEqualTo(2);
		assertThat(success.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(33.0);
		CountAtBucket[] buckets = success.takeSnapshot().histogramCounts();
		assertThat(buckets).extracting(bucket -> bucket.bucket(java.util.concurrent.TimeUnit.SECONDS))
			.containsExactly(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);
		assertThat(buckets).extracting(CountAtBucket::count)
			.containsExactly(1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0);
		assertThat(this.meters.get("pulse.probe.duration").tags("target", "api", "result", "failure").timer().count())
			.isEqualTo(1);
		assertThat(this.meters.get("pulse.probe.phase").tags("target", "api", "phase", "connect").timer().count())
			.isEqualTo(1);
		assertThat(this.meters.get("pulse.probe.phase").tags("target", "api", "phase", "ttfb").timer().count())
			.isEqualTo(2);
		assertThat(this.meters.find("pulse.probe.phase").tags("phase", "dns").meters()).as("never happened").isEmpty();
		assertThat(this.meters.get("pulse.probes")
			.tags("target", "api", "result", "success", "reason", "none")
			.counter()
			.count()).isEqualTo(2);
		assertThat(this.meters.get("pulse.probes")
			.tags("target", "api", "result", "failure", "reason", "connection-refused")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.meters.get("pulse.connections.opened").tags("target", "api").counter().count())
			.as("only the fresh connection; the refused probe connected nothing")
			.isEqualTo(1);
		assertThat(this.meters.get("pulse.target.last.probe.timestamp").tags("target", "api").gauge().value())
			.isEqualTo(NOW.getEpochSecond());
		HostCounts host = this.recorder.hosts().get("127.0.0.1:8080");
		assertThat(host.probes.sum()).isEqualTo(3);
		assertThat(host.opened.sum()).isEqualTo(1);
		assertThat(host.socketKey).isEqualTo("127.0.0.1:8080");
	}

	@Test
	void aStaleConnectionRepeatedOnAFreshOneShouldCountOneNewConnection() {
		ProbeResult repeated = new ProbeResult(NOW, true, 200, 5, new Phases(0.1, null, 0.3, null, 2.0, 0.4), false,
				true, "127.0.0.1", 15, null, null, List.of(), 1);

		this.recorder.onResult(api(), repeated);

		assertThat(this.meters.get("pulse.connections.opened").tags("target", "api").counter().count()).isEqualTo(1);
	}

	@Test
	void skipsAndLagShouldBeRecorded() {
		this.recorder.onSkipped(api());
		this.recorder.onSkipped(api());
		this.recorder.onLagNanos(3_000_000);

		assertThat(
				this.meters.get("pulse.probes.skipped").tags("target", "api", "service", "checkout").counter().count())
			.isEqualTo(2);
		Timer lag = this.meters.get("pulse.schedule.lag").timer();
		assertThat(lag.count()).isEqualTo(1);
		assertThat(lag.takeSnapshot().histogramCounts())
			.extracting(bucket -> bucket.bucket(java.util.concurrent.TimeUnit.SECONDS))
			.containsExactly(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0);
	}

	@Test
	void aTlsResultShouldCountTheCertificateDownUntilItsChainExpires() {
		Target tls = this.targets.find("tls").orElseThrow();
		assertThat(this.meters.find("pulse.certificate.expiry").meters()).as("no series before a handshake").isEmpty();
		this.recorder.onResult(api(), fresh(1));
		Instant chainNotAfter = Instant.now().plus(Duration.ofDays(10));
		PeerCertificate certificate = new PeerCertificate("CN=tls", "CN=ca", chainNotAfter.plus(Duration.ofDays(5)),
				chainNotAfter, 2);
		this.recorder.onResult(tls, new ProbeResult(NOW, true, 200, 1, Phases.NONE, false, false, "127.0.0.1", 0, null,
				null, List.of(), 1, certificate));
		assertThat(this.meters.find("pulse.certificate.expiry").tag("target", "api").gauge()).isNull();
		double left = this.meters.find("pulse.certificate.expiry").tag("target", "tls").gauge().value();
		assertThat(left).as("seconds until the chain's first expiry, not the leaf's")
			.isBetween(Duration.ofDays(10).minusMinutes(1).toSeconds() * 1.0, Duration.ofDays(10).toSeconds() * 1.0);

		this.targets.remove("tls");
		this.recorder.onRemoved("tls");
		assertThat(this.meters.find("pulse.certificate.expiry").meters()).isEmpty();
	}

	@Test
	void aRemovedTargetShouldLoseEverySeriesAndNeverGetThemBack() {
		Target api = api();
		this.recorder.onResult(api, refused());
		this.recorder.onSkipped(api);

		this.targets.remove("api");
		this.recorder.onRemoved("api");
		this.recorder.onResult(api, fresh(1));
		this.recorder.onSkipped(api);

		List<Meter> left = this.meters.getMeters()
			.stream()
			.filter(meter -> "api".equals(meter.getId().getTag("target")))
			.toList();
		assertThat(left).isEmpty();
		assertThat(this.meters.find("pulse.target.up").tag("target", "tls").gauge()).isNotNull();
	}

	@Test
	void aTargetMovedToAnotherServiceShouldKeepOnlyTheNewServiceSeries() {
		this.recorder.onResult(api(), reused(1));

		Target moved = TestTargets.target("http://127.0.0.1:8080/health").name("api").service("payments").build();
		this.targets.put(moved);
		this.recorder.onResult(moved, reused(1));

		assertThat(this.meters.find("pulse.probes").tag("service", "checkout").meters()).isEmpty();
		assertThat(this.meters.get("pulse.probes").tags("target", "api", "service", "payments").counter().count())
			.isEqualTo(1);
		assertThat(this.meters.find("pulse.target.state").tags("target", "api", "service", "payments").meters())
			.hasSize(4);
	}

	@Test
	void withoutTargetHistogramsAServiceShouldShareOneSetUntilItsLastTargetGoes() {
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		TargetRegistry targets = TestTargets.registry(
				target("http://127.0.0.1:8080/health").name("a").service("checkout"),
				target("http://127.0.0.1:8081/health").name("b").service("checkout"));
		MetricsRecorder recorder = recorder(registry, targets, false);
		Target a = targets.find("a").orElseThrow();
		Target b = targets.find("b").orElseThrow();
		recorder.onResult(a, fresh(1));
		recorder.onResult(b, reused(3));

		Timer duration = registry.get("pulse.probe.duration").tags("service", "checkout", "result", "success").timer();
		assertThat(duration.getId().getTag("target")).isNull();
		assertThat(duration.count()).isEqualTo(2);
		assertThat(registry.find("pulse.probe.phase").tag("target", "a").meters()).isEmpty();
		assertThat(registry.get("pulse.probes").tags("target", "a").counter().count()).as("counters stay per target")
			.isEqualTo(1);

		targets.remove("a");
		recorder.onRemoved("a");
		assertThat(registry.find("pulse.probe.duration").tag("service", "checkout").timer())
			.as("b still records into it")
			.isNotNull();
		recorder.onResult(b, reused(3));
		assertThat(registry.get("pulse.probe.duration").tags("service", "checkout").timer().count()).isEqualTo(3);

		targets.remove("b");
		recorder.onRemoved("b");
		assertThat(registry.find("pulse.probe.duration").meters()).isEmpty();
		assertThat(registry.find("pulse.probe.phase").meters()).isEmpty();
	}

}
