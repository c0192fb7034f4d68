package dev.pulse.api;

import java.net.http.HttpResponse;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import dev.pulse.support.ApiClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/conditions/evaluate}: dry-running conditions against a given response.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ConditionApiTest extends LiveApiTest {

	private HttpResponse<String> post(String body) throws Exception {
		return this.api.post("/api/conditions/evaluate", body);
	}

	private JsonNode evaluate(String body) throws Exception {
		HttpResponse<String> response = post(body);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return ApiClient.parse(response.body());
	}

	@Test
	void passingConditionsShouldPrintAsWritten() throws Exception {
		JsonNode verdict = evaluate("""
				{"conditions": ["[STATUS] == 200", "[BODY].status == UP", "[RESPONSE_TIME] < 300"],
				 "response": {"status": 200, "body": "{\\"status\\":\\"UP\\"}", "responseTimeMs": 12}}""");

		assertThat(verdict.path("success").asBoolean()).isTrue();
		assertThat(verdict.path("results")).hasSize(3);
		assertThat(verdict.path("results").get(1).path("condition").asString()).isEqualTo("[BODY].status == UP");
		assertThat(verdict.path("results").get(1).path("success").asBoolean()).isTrue();
		assertThat(verdict.path("results").get(1).path("output").asString()).isEqualTo("[BODY].status == UP");
	}

	@Test
	void failingConditionsShouldPrintResolvedValuesAsGatusDoes() throws Exception {
		JsonNode verdict = evaluate(
				"""
						{"conditions": ["[STATUS] == 200", "[BODY].user.firstName == [BODY].user.lastName", "[STATUS] < 300"],
						 "response": {"status": 500, "body": "{\\"user\\":{\\"firstName\\":\\"john\\",\\"lastName\\":\\"doe\\"}}"}}""");

		assertThat(verdict.path("success").asBoolean()).isFalse();
		assertThat(verdict.path("results").get(0).path("output").asString()).isEqualTo("[STATUS] (500) == 200");
		assertThat(verdict.path("results").get(1).path("output").asString())
			.isEqualTo("[BODY].user.firstName (john) == [BODY].user.lastName (doe)");
		assertThat(verdict.path("results").get(2).path("success").asBoolean()).isFalse();
	}

	@Test
	void fieldsLeftOutShouldBeUnresolved() throws Exception {
		JsonNode verdict = evaluate("""
				{"conditions": ["[STATUS] == 200", "[RESPONSE_TIME] < 300"], "response": {}}""");

		assertThat(verdict.path("success").asBoolean()).isFalse();
		assertThat(verdict.path("results").get(1).path("success").asBoolean()).isFalse();
	}

	@Test
	void headersAndClockSkewShouldBeReadFromTheGivenResponse() throws Exception {
		String now = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
		JsonNode verdict = evaluate("""
				{"conditions": ["[HEADERS].content-type == application/json", "[CLOCK_SKEW] < 5s"],
				 "response": {"status": 200, "headers": {"Content-Type": "application/json", "Date": "%s"}}}"""
			.formatted(now));

		assertThat(verdict.path("success").asBoolean()).as(verdict.toString()).isTrue();
	}

	@Test
	void malformedConditionShouldAnswer400PointingAtConditionAndPosition() throws Exception {
		HttpResponse<String> response = post("""
				{"conditions": ["[STATUS] == 200", "[STAUS] == 200"], "response": {"status": 200}}""");

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = ApiClient.parse(response.body());
		JsonNode error = problem.path("errors").get(0);
		assertThat(problem.path("errors")).hasSize(1);
		assertThat(error.path("field").asString()).isEqualTo("conditions[1]");
		assertThat(error.path("condition").asString()).isEqualTo("[STAUS] == 200");
		assertThat(error.path("position").asInt()).isZero();
		assertThat(error.path("message").asString()).contains("[STAUS]");
	}

	@Test
	void invalidRequestsShouldAnswer400ProblemJson() throws Exception {
		String[] bodies = { "{\"conditions\": [], \"response\": {}}", "{\"response\": {}}",
				"{\"conditions\": [\"[STATUS] == 200\"]}",
				"{\"conditions\": [\"[STATUS] == 200\"], \"response\": {\"statuz\": 200}}",
				"{\"conditions\": [\"[STATUS] == 200\"], \"response\": {\"status\": \"abc\"}}", "{not json", "" };
		for (String body : bodies) {
			HttpResponse<String> response = post(body);

			assertThat(response.statusCode()).as(body).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).as(body).hasValue("application/problem+json");
		}
	}

	@Test
	void missingFieldsShouldBeListedInErrors() throws Exception {
		HttpResponse<String> response = post("{\"conditions\": []}");

		JsonNode errors = ApiClient.parse(response.body()).path("errors");
		assertThat(errors.findValuesAsString("field")).containsExactlyInAnyOrder("conditions", "response");
	}

}
