package dev.pulse.api;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import dev.pulse.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body Jackson cannot read answers 400 problem+json whose {@code errors} name every
 * problem: where (pointer, field, or line and column), what was expected, and the field
 * an unknown one probably meant. And nothing is registered.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "pulse.api.write-token=s3cret", "pulse.security.ssrf.allow=127.0.0.0/8" })
@ActiveProfiles("test")
class UnreadableBodyApiTest {

	@LocalServerPort
	private int port;

	private ApiClient api;

	@BeforeEach
	void client() {
		this.api = new ApiClient(this.port).withToken("s3cret");
	}

	private JsonNode refused(HttpResponse<String> response) throws Exception {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = ApiClient.parse(response.body());
		assertThat(problem.path("title").asString()).isEqualTo("Unreadable request body");
		assertThat(problem.path("errors").isArray()).as(response.body()).isTrue();
		assertThat(problem.path("detail").asString())
			.isEqualTo(problem.path("errors").size() + " problem(s) in the request body");
		assertThat(this.api.get("/api/targets/bad").statusCode()).as("nothing registered").isEqualTo(404);
		return problem.path("errors");
	}

	@Test
	void malformedJsonShouldGiveTheLineAndColumn() throws Exception {
		JsonNode errors = refused(this.api.put("/api/targets/bad", "{\n  \"url\": \"http://127.0.0.1:1/\",\n  }"));

		assertThat(errors).hasSize(1);
		JsonNode error = errors.get(0);
		assertThat(error.path("line").asInt()).isEqualTo(3);
		assertThat(error.path("column").asInt()).isEqualTo(3);
		assertThat(error.path("message").asString()).startsWith("malformed JSON: ");
		assertThat(error.path("expected").asString()).isEqualTo("valid JSON");
	}

	@Test
	void everyUnknownFieldAndWrongTypeShouldBeListedWithPointersAndSuggestions() throws Exception {
		JsonNode errors = refused(this.api.put("/api/targets/bad",
				"{\"url\": \"http://127.0.0.1:1/\", \"intervall\": \"2s\", \"freshConnection\": true, "
						+ "\"weight\": \"heavy\", \"retry\": {\"maxAttempts\": 2, \"multiplier\": [1]}, "
						+ "\"conditions\": [\"[STATUS] == 200\", {\"x\": 1}]}"));

		assertThat(errors.findValuesAsString("pointer")).containsExactly("/intervall", "/freshConnection", "/weight",
				"/retry/maxAttempts", "/retry/multiplier", "/conditions/1");
		assertThat(errors.findValuesAsString("field")).containsExactly("intervall", "freshConnection", "weight",
				"retry.maxAttempts", "retry.multiplier", "conditions[1]");
		assertThat(errors.get(0).path("suggestion").asString()).isEqualTo("interval");
		assertThat(errors.get(1).path("suggestion").asString()).isEqualTo("fresh-connection");
		assertThat(errors.get(1).path("message").asString())
			.isEqualTo("unknown field 'freshConnection'; did you mean 'fresh-connection'?");
		assertThat(errors.get(2).path("message").asString()).isEqualTo("'heavy' is not an integer");
		assertThat(errors.get(2).path("expected").asString()).isEqualTo("an integer");
		assertThat(errors.get(3).path("suggestion").asString()).isEqualTo("max-attempts");
		assertThat(errors.get(4).path("message").asString()).isEqualTo("expected a number, got a list");
		assertThat(errors.get(5).path("expected").asString()).isEqualTo("a string");
	}

	@Test
	void anUnknownFieldWithNothingCloseShouldListTheKnownOnes() throws Exception {
		JsonNode errors = refused(this.api.put("/api/targets/bad", "{\"url\": \"http://127.0.0.1:1/\", \"zzz\": 1}"));

		assertThat(errors).hasSize(1);
		assertThat(errors.get(0).has("suggestion")).isFalse();
		assertThat(errors.get(0).path("message").asString()).startsWith("unknown field 'zzz'; known fields: ")
			.contains("fresh-connection", "interval", "url");
	}

	@Test
	void aListOrAnEmptyBodyShouldSayAnObjectIsExpected() throws Exception {
		JsonNode list = refused(this.api.put("/api/targets/bad", "[]"));
		assertThat(list).hasSize(1);
		assertThat(list.get(0).path("pointer").asString()).isEmpty();
		assertThat(list.get(0).path("expected").asString()).isEqualTo("an object");
		assertThat(list.get(0).path("message").asString()).isEqualTo("expected an object, got a list");

		JsonNode empty = refused(this.api.put("/api/targets/bad", ""));
		assertThat(empty.findValuesAsString("message")).containsExactly("the request body is empty");
	}

	@Test
	void invalidUtf8ShouldBeASyntaxErrorWithItsPlace() throws Exception {
		byte[] body = "{\"url\": \"http://127.0.0.1:1/\", \"service\": \"x\u0000\"}".getBytes();
		body[body.length - 3] = (byte) 0xff;
		JsonNode errors = refused(this.api.exchange("PUT", "/api/targets/bad", "application/json",
				HttpRequest.BodyPublishers.ofByteArray(body)));

		assertThat(errors).hasSize(1);
		assertThat(errors.get(0).path("message").asString()).startsWith("malformed JSON: ")
			.containsIgnoringCase("UTF-8");
		assertThat(errors.get(0).path("line").asInt()).isEqualTo(1);
		assertThat(errors.get(0).path("column").asInt()).isPositive();
	}

	@Test
	void aChunkedBodyShouldBeExplainedToo() throws Exception {
		JsonNode errors = refused(this.api.exchange("PUT", "/api/targets/bad", "application/json",
				HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
						"{\"url\": \"http://127.0.0.1:1/\", \"weight\": true}".getBytes()))));

		assertThat(errors.findValuesAsString("pointer")).isEqualTo(List.of("/weight"));
	}

	@Test
	void theConditionDryRunShouldExplainItsBodyTheSameWay() throws Exception {
		JsonNode errors = refused(this.api.post("/api/conditions/evaluate", "{\"condition\": [1]}"));

		assertThat(errors).isNotEmpty();
		assertThat(errors.get(0).path("pointer").asString()).startsWith("/");
	}

}
