package dev.pulse.api;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import dev.pulse.support.ApiClient;
import dev.pulse.support.HealthServer;
import dev.pulse.support.HeartbeatServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A {@code tcp://} target registered, read back, probed and refused over the API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "pulse.api.write-token=s3cret", "pulse.security.ssrf.allow=127.0.0.1/32",
				// Configured kinds go through property binding's own URL rule too.
				"pulse.targets.configured-grpc.url=grpc://127.0.0.1:1/orders.v1.Orders",
				"pulse.targets.configured-tls.url=tls://127.0.0.1:1", "pulse.targets.configured-tls.interval=1m" })
@ActiveProfiles("test")
class TcpTargetApiTest {

	private static final HeartbeatServer server = HeartbeatServer.start(HeartbeatServer.Behaviour.PONG);

	@LocalServerPort
	private int port;

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void aTcpTargetIsRegisteredReadBackAndProbed() throws Exception {
		ApiClient api = new ApiClient(this.port).withToken("s3cret");
		HttpResponse<String> created = api.put("/api/targets/pinger",
				"{\"url\": \"" + server.url()
						+ "\", \"interval\": \"1s\", \"timeout\": \"500ms\", \"tcp\": {\"send\": \"\\\\x01\", "
						+ "\"expect\": \"\\\\x02\", \"read-bytes\": 8}}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		JsonNode view = api.getJson("/api/targets/pinger");
		assertThat(view.path("tcp").path("send").asString()).isEqualTo("\\x01");
		assertThat(view.path("tcp").path("expect").asString()).isEqualTo("\\x02");
		assertThat(view.path("tcp").path("read-bytes").asInt()).isEqualTo(8);
		assertThat(view.path("conditions").get(0).asString()).isEqualTo("[CONNECTED] == true");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> api.getJson("/api/targets/pinger").path("latest").path("success").asBoolean());
		JsonNode latest = api.getJson("/api/targets/pinger").path("latest");
		assertThat(latest.path("status").isNull()).isTrue();
		assertThat(latest.path("bodyBytes").asLong()).isEqualTo(1);
		assertThat(server.pings()).isPositive();
		assertThat(api.delete("/api/targets/pinger").statusCode()).isEqualTo(204);
	}

	@Test
	void aGrpcTargetIsRegisteredAndProbedThroughTheApplication() throws Exception {
		try (HealthServer grpc = HealthServer.serving()
			.status("orders.v1.Orders", io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING)) {
			ApiClient api = new ApiClient(this.port).withToken("s3cret");
			HttpResponse<String> created = api.put("/api/targets/orders", "{\"url\": \""
					+ grpc.url("grpc", "/orders.v1.Orders") + "\", \"interval\": \"1s\", \"timeout\": \"500ms\"}");
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> api.getJson("/api/targets/orders").path("latest").has("success"));
			JsonNode latest = api.getJson("/api/targets/orders").path("latest");
			assertThat(latest.path("success").asBoolean()).isFalse();
			assertThat(latest.path("reason").asString()).isEqualTo("not-serving");
			assertThat(latest.path("error").asString()).isEqualTo("health status NOT_SERVING");
			grpc.status("orders.v1.Orders", io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> api.getJson("/api/targets/orders").path("latest").path("success").asBoolean());
			assertThat(api.delete("/api/targets/orders").statusCode()).isEqualTo(204);
		}
	}

	@Test
	void tlsAndGrpcTargetsBindFromConfiguration() throws Exception {
		ApiClient api = new ApiClient(this.port);
		assertThat(api.getJson("/api/targets/configured-grpc").path("url").asString())
			.isEqualTo("grpc://127.0.0.1:1/orders.v1.Orders");
		assertThat(api.getJson("/api/targets/configured-tls").path("conditions").get(0).asString())
			.isEqualTo("[CONNECTED] == true");
	}

	@Test
	void brokenTcpSettingsAreRefusedWithTheirFields() throws Exception {
		ApiClient api = new ApiClient(this.port).withToken("s3cret");
		HttpResponse<String> refused = api.put("/api/targets/broken",
				"{\"url\": \"tcp://127.0.0.1:1\", \"body\": \"x\", \"tcp\": {\"send\": \"\\\\q\", \"expect\": \"(\"}}");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.headers().firstValue("Content-Type"))
			.hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
		assertThat(ApiClient.parse(refused.body()).path("errors").findValuesAsString("field"))
			.containsExactlyInAnyOrder("body", "tcp.send", "tcp.expect");
		assertThat(api.get("/api/targets/broken").statusCode()).isEqualTo(404);
	}

}
