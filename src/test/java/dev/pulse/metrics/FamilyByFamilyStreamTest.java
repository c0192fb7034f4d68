package dev.pulse.metrics;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A scrape written family by family is byte for byte the scrape written at once, in each
 * format Prometheus negotiates.
 */
class FamilyByFamilyStreamTest {

	private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

	@ParameterizedTest
	@ValueSource(strings = { "text/plain;version=0.0.4", "application/openmetrics-text;version=1.0.0",
			"application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited" })
	void shouldWriteTheSameBytesAsOneWrite(String accept) throws Exception {
		for (int target = 0; target < 50; target++) {
			Counter.builder("pulse.probes").tag("target", "t" + target).register(this.registry).increment(target);
			Timer timer = Timer.builder("pulse.probe.duration")
				.tag("target", "t" + target)
				.serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(50))
				.register(this.registry);
			timer.record(target, TimeUnit.MILLISECONDS);
		}
		AtomicInteger value = new AtomicInteger(7);
		Gauge.builder("pulse.targets", value, AtomicInteger::get).register(this.registry);
		ExpositionFormatWriter writer = ExpositionFormats.init().findWriter(accept);
		MetricSnapshots snapshots = this.registry.getPrometheusRegistry().scrape();
		ByteArrayOutputStream whole = new ByteArrayOutputStream();
		writer.write(whole, snapshots);

		byte[] streamed;
		try (FamilyByFamilyStream stream = new FamilyByFamilyStream(snapshots, writer)) {
			streamed = readInSmallReads(stream);
		}

		ByteArrayOutputStream transferred = new ByteArrayOutputStream();
		long count;
		try (FamilyByFamilyStream stream = new FamilyByFamilyStream(snapshots, writer)) {
			count = stream.transferTo(transferred);
		}

		assertThat(snapshots.size()).isGreaterThanOrEqualTo(3);
		assertThat(streamed).isEqualTo(whole.toByteArray());
		assertThat(transferred.toByteArray()).as("written straight into the response").isEqualTo(whole.toByteArray());
		assertThat(count).isEqualTo(whole.size());
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/plain;version=0.0.4", "application/openmetrics-text;version=1.0.0" })
	void anEmptyScrapeShouldBeWhatOneWriteGives(String accept) throws Exception {
		ExpositionFormatWriter writer = ExpositionFormats.init().findWriter(accept);
		MetricSnapshots snapshots = this.registry.getPrometheusRegistry().scrape();
		ByteArrayOutputStream whole = new ByteArrayOutputStream();
		writer.write(whole, snapshots);

		try (FamilyByFamilyStream stream = new FamilyByFamilyStream(snapshots, writer)) {
			assertThat(stream.readAllBytes()).isEqualTo(whole.toByteArray());
		}
	}

	@org.junit.jupiter.api.Test
	void includedNamesShouldBeSplitAsSpringBootSplitsThem() {
		assertThat(StreamedScrape.includedNames(java.util.Map.of())).isNull();
		assertThat(StreamedScrape.includedNames(java.util.Map.of("includedNames", "a, b,,c"))).containsExactly("a", "b",
				"c");
		assertThat(StreamedScrape.includedNames(java.util.Map.of("includedNames", java.util.List.of("a,b", "c"))))
			.containsExactly("a", "b", "c");
	}

	/** Reads of 7 bytes, and single bytes, cross every family boundary. */
	private static byte[] readInSmallReads(FamilyByFamilyStream stream) throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] buffer = new byte[7];
		int read;
		while ((read = stream.read(buffer, 0, buffer.length)) >= 0) {
			out.write(buffer, 0, read);
			int single = stream.read();
			if (single < 0) {
				break;
			}
			out.write(single);
		}
		return out.toByteArray();
	}

}
