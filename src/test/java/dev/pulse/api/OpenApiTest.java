package dev.pulse.api;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import dev.pulse.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/** springdoc describes every endpoint with its errors; Swagger UI serves it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class OpenApiTest {

	@LocalServerPort
	private int port;

	@Test
	void apiDocsShouldDescribeEveryEndpointAndItsErrors() throws Exception {
		JsonNode docs = new ApiClient(this.port).getJson("/v3/api-docs");
		JsonNode paths = docs.path("paths");

		assertThat(paths.propertyNames()).contains("/api/targets", "/api/targets/{name}", "/api/targets/{name}/results",
				"/api/targets/{name}/probe", "/api/services", "/api/services/{service}/scores",
				"/api/services/{service}/route", "/api/conditions/evaluate", "/api/events", "/heartbeat");
		JsonNode put = paths.path("/api/targets/{name}").path("put");
		assertThat(put.path("responses").propertyNames()).contains("200", "201", "400", "401", "403", "409");
		assertThat(put.path("requestBody").toString()).contains("checkout");
		assertThat(paths.path("/api/services/{service}/route").path("get").path("responses").propertyNames())
			.contains("200", "400", "404", "503");
		assertThat(paths.path("/api/targets/{name}").path("delete").path("responses").propertyNames()).contains("204",
				"404", "409");
	}

	@Test
	void swaggerUiShouldBeServed() throws Exception {
		assertThat(new ApiClient(this.port).get("/swagger-ui/index.html").statusCode()).isEqualTo(200);
	}

}
