package dev.pulse.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.pulse.support.ApiClient;
import dev.pulse.support.FaultServer;
import dev.pulse.support.HeartbeatServer;
import dev.pulse.support.TestCertificates;
import dev.pulse.target.TargetRegistry;

import static dev.pulse.metrics.Scrapes.buckets;
import static dev.pulse.metrics.Scrapes.poolId;
import static dev.pulse.metrics.Scrapes.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The exact series a running Pulse publishes on {@code /actuator/prometheus} while it
 * probes a healthy loopback server and a refused port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "management.endpoints.web.exposure.include=health,info,prometheus,routing,connections")
@ActiveProfiles("test")
class PrometheusScrapeTest {

	private static final FaultServer healthy = FaultServer.start(FaultServer.healthy());

	private static final FaultServer other = FaultServer.start(FaultServer.healthy());

	private static final int refused = FaultServer.refusedPort();

	/** A tls:// target, so the certificate gauge has a series to scrape. */
	private static final HeartbeatServer secure = HeartbeatServer.start(HeartbeatServer.Behaviour.HANG,
			TestCertificates.selfSigned("127.0.0.1").serverContext());

	@LocalServerPort
	int port;

	@Autowired
	TargetRegistry targets;

	@Autowired
	SocketTable sockets;

	private ApiClient api;

	@DynamicPropertySource
	static void targets(DynamicPropertyRegistry registry) {
		registry.add("pulse.targets.up.url", () -> healthy.url("/health"));
		registry.add("pulse.targets.up.service", () -> "checkout");
		registry.add("pulse.targets.up.interval", () -> "200ms");
		registry.add("pulse.targets.up.timeout", () -> "200ms");
		registry.add("pulse.targets.up.weight", () -> "250");
		registry.add("pulse.targets.down.url", () -> "http://127.0.0.1:" + refused + "/health");
		registry.add("pulse.targets.down.interval", () -> "200ms");
		registry.add("pulse.targets.down.timeout", () -> "150ms");
		registry.add("pulse.targets.vault.url", () -> secure.url("tls"));
		registry.add("pulse.targets.vault.interval", () -> "500ms");
		registry.add("pulse.targets.vault.timeout", () -> "400ms");
		registry.add("pulse.targets.vault.tls.insecure-skip-verify", () -> "true");
		registry.add("pulse.targets.gone.url", () -> other.url("/health"));
		registry.add("pulse.targets.gone.interval", () -> "200ms");
		registry.add("pulse.targets.gone.timeout", () -> "150ms");
	}

	@AfterAll
	static void stopServers() {
		healthy.close();
		other.close();
		secure.close();
	}

	@BeforeEach
	void client() {
		this.api = new ApiClient(this.port);
	}

	private String scrape() throws Exception {
		var response = this.api.get("/actuator/prometheus");
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private String healthyScrape() throws Exception {
		await().atMost(Duration.ofSeconds(15)).until(() -> {
			String scrape = scrape();
			return scrape.contains("pulse_target_state{service=\"checkout\",state=\"HEALTHY\",target=\"up\"} 1.0")
					&& scrape.contains("pulse_target_state{service=\"down\",state=\"UNHEALTHY\",target=\"down\"} 1.0")
					&& scrape.contains("pulse_certificate_expiry_seconds{service=\"vault\",target=\"vault\"}");
		});
		return scrape();
	}

	@Test
	void targetGaugesShouldShowStateUpScoreAndWeight() throws Exception {
		String scrape = healthyScrape();

		assertThat(value(scrape, "pulse_target_state{service=\"checkout\",state=\"UNKNOWN\",target=\"up\"}")).isZero();
		assertThat(value(scrape, "pulse_target_state{service=\"checkout\",state=\"DEGRADED\",target=\"up\"}")).isZero();
		assertThat(value(scrape, "pulse_target_state{service=\"checkout\",state=\"UNHEALTHY\",target=\"up\"}"))
			.isZero();
		assertThat(value(scrape, "pulse_target_up{service=\"checkout\",target=\"up\"}")).isEqualTo(1);
		assertThat(value(scrape, "pulse_target_up{service=\"down\",target=\"down\"}")).isZero();
		assertThat(value(scrape, "pulse_target_state{service=\"down\",state=\"HEALTHY\",target=\"down\"}")).isZero();
		assertThat(value(scrape, "pulse_target_score{service=\"checkout\",target=\"up\"}")).isBetween(1.0, 100.0);
		assertThat(value(scrape, "pulse_target_weight{service=\"checkout\",target=\"up\"}")).isBetween(1.0, 250.0);
		assertThat(value(scrape, "pulse_target_score{service=\"down\",target=\"down\"}")).isZero();
		assertThat(value(scrape, "pulse_target_weight{service=\"down\",target=\"down\"}")).isZero();
		assertThat(value(scrape, "pulse_target_last_probe_timestamp_seconds{service=\"checkout\",target=\"up\"}"))
			.isCloseTo(System.currentTimeMillis() / 1000.0, org.assertj.core.data.Offset.offset(15.0));
	}

	@Test
	void probesShouldBeCountedByResultAndReason() throws Exception {
		String scrape = healthyScrape();

		assertThat(value(scrape,
				"pulse_probes_total{reason=\"none\",result=\"success\",service=\"checkout\",target=\"up\"}"))
			.isPositive();
		assertThat(value(scrape,
				"pulse_probes_total{reason=\"connection-refused\",result=\"failure\",service=\"down\",target=\"down\"}"))
			.isGreaterThanOrEqualTo(3);
		assertThat(scrape).doesNotContain("pulse_probes_total{reason=\"none\",result=\"success\",service=\"down\"");
		assertThat(value(scrape, "pulse_connections_opened_total{service=\"down\",target=\"down\"}"))
			.as("a refused connect opens nothing")
			.isZero();
		assertThat(value(scrape, "pulse_connections_opened_total{service=\"checkout\",target=\"up\"}")).isPositive();
		assertThat(value(scrape, "pulse_probes_skipped_total{service=\"checkout\",target=\"up\"}"))
			.as("skips depend on timing, but the series is there from the start")
			.isNotNegative();
		assertThat(value(scrape, "pulse_probe_retries_total")).isNotNegative();
		assertThat(value(scrape, "pulse_certificate_expiry_seconds{service=\"vault\",target=\"vault\"}"))
			.as("the self-signed certificate lasts a year")
			.isBetween(360 * 86400.0, 366 * 86400.0);
		assertThat(scrape).as("only targets that shook hands have the series")
			.doesNotContain("pulse_certificate_expiry_seconds{service=\"checkout\"");
	}

	@Test
	void histogramsShouldHaveExactlyTheContractBuckets() throws Exception {
		String scrape = healthyScrape();

		assertThat(buckets(scrape,
				"pulse_probe_duration_seconds_bucket{result=\"success\",service=\"checkout\",target=\"up\",le=\""))
			.containsExactly("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0",
					"+Inf");
		assertThat(buckets(scrape,
				"pulse_probe_phase_seconds_bucket{phase=\"ttfb\",service=\"checkout\",target=\"up\",le=\""))
			.containsExactly("0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0",
					"+Inf");
		assertThat(buckets(scrape, "pulse_schedule_lag_seconds_bucket{le=\"")).containsExactly("0.001", "0.005", "0.01",
				"0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "+Inf");
		assertThat(value(scrape, "pulse_schedule_lag_seconds_count")).isPositive();
		assertThat(scrape).as("a phase that did not happen records nothing")
			.doesNotContain("pulse_probe_phase_seconds_count{phase=\"dns\"")
			.doesNotContain("pulse_probe_phase_seconds_count{phase=\"tls\",service=\"checkout\"")
			.contains("pulse_probe_phase_seconds_count{phase=\"tls\",service=\"vault\"");
	}

	@Test
	void everyCataloguedMeterShouldBeScrapedAndNoneShouldCarryAUrl() throws Exception {
		String scrape = healthyScrape();

		for (PulseMeters meter : PulseMeters.values()) {
			if (meter == PulseMeters.TARGET_SOCKETS && !this.sockets.available()) {
				continue;
			}
			String family = (meter.type() == io.micrometer.core.instrument.Meter.Type.TIMER)
					? meter.prometheusName() + "_count" : meter.prometheusName();
			assertThat(scrape).as(meter.name()).containsPattern("(?m)^" + Pattern.quote(family) + "[{ ]");
		}
		List<String> pulseLines = Arrays.stream(scrape.split("\n")).filter(line -> line.startsWith("pulse_")).toList();
		assertThat(pulseLines).isNotEmpty()
			.noneMatch(line -> line.contains("://") || line.contains("/health") || line.contains(":" + healthy.port())
					|| line.contains(":" + refused));
	}

	@Test
	void reactorNettyPoolGaugesShouldReachPrometheus() throws Exception {
		String scrape = healthyScrape();

		assertThat(value(scrape,
				"reactor_netty_connection_provider_max_connections{id=\"" + poolId(scrape, healthy.port())
						+ "\",name=\"pulse-probes\",remote_address=\"127.0.0.1:" + healthy.port() + "\"}"))
			.isEqualTo(8);
		for (String gauge : new String[] { "active", "idle", "pending", "total" }) {
			assertThat(scrape).containsPattern("(?m)^reactor_netty_connection_provider_" + gauge
					+ "_connections\\{id=\"-?\\d+\",name=\"pulse-probes\",remote_address=\"127.0.0.1:" + healthy.port()
					+ "\"\\} ");
		}
	}

	@Test
	void establishedSocketsToATargetShouldBeShown() throws Exception {
		org.assertj.core.api.Assumptions.assumeThat(this.sockets.available()).as("/proc/net/tcp").isTrue();
		healthyScrape();

		await().atMost(Duration.ofSeconds(15))
			.until(() -> value(scrape(),
					"pulse_target_sockets{service=\"checkout\",state=\"established\",target=\"up\"}") == 1);
		assertThat(value(scrape(), "pulse_target_sockets{service=\"down\",state=\"established\",target=\"down\"}"))
			.isZero();
	}

	@Test
	void connectionsEndpointShouldShowPoolReuseAndSockets() throws Exception {
		healthyScrape();
		String host = "127.0.0.1:" + healthy.port();
		await().atMost(Duration.ofSeconds(15)).until(() -> {
			JsonNode entry = connections(host);
			return entry.path("probes").asLong() >= 4
					&& (!this.sockets.available() || entry.path("sockets").path("established").asInt() == 1);
		});

		JsonNode entry = connections(host);
		assertThat(entry.path("active").asInt() + entry.path("idle").asInt()).isEqualTo(1);
		assertThat(entry.path("pending").asInt()).isZero();
		assertThat(entry.path("opened").asLong()).isEqualTo(1);
		assertThat(entry.path("closed").asLong()).isZero();
		assertThat(entry.path("connectionsOpened").asLong()).isEqualTo(1);
		assertThat(entry.path("reuseRatio").asDouble()).isEqualTo((double) entry.path("probes").asLong());
		JsonNode refusedHost = connections("127.0.0.1:" + refused);
		assertThat(refusedHost.path("connectionsOpened").asLong()).isZero();
		assertThat(refusedHost.path("reuseRatio").isNull()).isTrue();
	}

	@Test
	void aRemovedTargetShouldLoseEverySeries() throws Exception {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> scrape().contains("pulse_probes_total{reason=\"none\",result=\"success\",service=\"gone\""));

		this.targets.remove("gone");

		assertThat(scrape()).doesNotContain("target=\"gone\"").contains("target=\"up\"");
		Thread.sleep(500);
		assertThat(scrape()).as("late results bring nothing back").doesNotContain("target=\"gone\"");
	}

	@Test
	void theScrapeShouldBeStreamedInEachFormatWithItsFilter() throws Exception {
		healthyScrape();
		var plain = this.api.exchange("GET", "/actuator/prometheus", null,
				java.net.http.HttpRequest.BodyPublishers.noBody());
		var negotiated = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest
				.newBuilder(java.net.URI.create("http://127.0.0.1:" + this.port
						+ "/actuator/prometheus?includedNames=pulse_probes,pulse_target_up"))
				.header("Accept", "application/openmetrics-text;version=1.0.0")
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());

		assertThat(plain.headers().firstValue("Content-Length")).as("sent chunked, never measured first").isEmpty();
		assertThat(plain.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("text/plain;version=0.0.4"));
		assertThat(negotiated.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text"));
		String body = negotiated.body();
		assertThat(body).endsWith("# EOF\n");
		assertThat(body.indexOf("# EOF")).as("one EOF line, at the end").isEqualTo(body.length() - 6);
		assertThat(body).contains("pulse_probes_total{")
			.contains("pulse_target_up{")
			.doesNotContain("pulse_target_score");
	}

	private JsonNode connections(String host) throws Exception {
		for (JsonNode entry : this.api.getJson("/actuator/connections").path("hosts")) {
			if (entry.path("host").asString().equals(host)) {
				return entry;
			}
		}
		throw new AssertionError("no host " + host);
	}

}
