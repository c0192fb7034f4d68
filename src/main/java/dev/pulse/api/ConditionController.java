package dev.pulse.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.pulse.condition.Condition;
import dev.pulse.condition.ConditionResult;
import dev.pulse.condition.ConditionSyntaxException;
import dev.pulse.condition.Observation;

/**
 * Dry-runs conditions against a response given in the request, so a condition can be
 * tried before it goes into a target. Nothing is probed and nothing is stored.
 */
@RestController
@Tag(name = "conditions", description = "Gatus-compatible conditions")
class ConditionController {

	@Operation(summary = "Dry-run conditions against a given response",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(examples = @ExampleObject(
							value = "{\"conditions\": [\"[STATUS] == 200\", \"[BODY].status == UP\"], \"response\": {\"status\": 503, \"body\": \"{\\\"status\\\":\\\"DOWN\\\"}\"}}"))))
	@ApiResponse(responseCode = "200", description = "Each verdict with Gatus's explanation")
	@ApiResponse(responseCode = "400",
			description = "A condition that does not parse, with its position, or an invalid body (problem+json)")
	@PostMapping("/api/conditions/evaluate")
	EvaluationView evaluate(@Valid @RequestBody EvaluationRequest request) {
		List<Condition> conditions = parseAll(request.conditions());
		Observation observation = request.response().observation(Instant.now());
		List<ConditionResult> results = conditions.stream().map(c -> c.evaluate(observation)).toList();
		return new EvaluationView(results.stream().allMatch(ConditionResult::success), results);
	}

	/**
	 * Parse every condition; report every one that fails, each with its index and
	 * position.
	 */
	private static List<Condition> parseAll(List<String> texts) {
		List<Condition> conditions = new ArrayList<>(texts.size());
		List<Map<String, Object>> errors = new ArrayList<>();
		for (int i = 0; i < texts.size(); i++) {
			try {
				conditions.add(Condition.parse(texts.get(i)));
			}
			catch (ConditionSyntaxException ex) {
				Map<String, Object> error = new LinkedHashMap<>();
				error.put("field", "conditions[" + i + "]");
				error.put("condition", ex.condition());
				error.put("position", ex.position());
				error.put("message", ex.getMessage());
				errors.add(error);
			}
		}
		if (!errors.isEmpty()) {
			throw Problems.withErrors(HttpStatus.BAD_REQUEST, "Invalid condition",
					errors.size() + " condition(s) do not parse: " + errors.get(0).get("message"), errors);
		}
		return conditions;
	}

	/**
	 * A dry-run request.
	 *
	 * @param conditions the conditions to evaluate, 1 to 100
	 * @param response the response to evaluate them against
	 */
	record EvaluationRequest(@NotEmpty @Size(max = 100) List<@NotNull String> conditions,
			@NotNull @Valid ResponseFixture response) {
	}

	/**
	 * A response as a probe would have seen it. Every field left out is unresolved, as
	 * when a probe did not observe it.
	 *
	 * @param status the HTTP status
	 * @param body the body as text
	 * @param responseTimeMs the response time in milliseconds
	 * @param ip the peer's address
	 * @param connected whether a connection was made
	 * @param certificateExpirationMs time left on the peer's certificate, in milliseconds
	 * @param headers response headers; names are case-insensitive
	 */
	record ResponseFixture(@Nullable Integer status, @Nullable String body, @Nullable Long responseTimeMs,
			@Nullable String ip, @Nullable Boolean connected, @Nullable Long certificateExpirationMs,
			@Nullable Map<String, String> headers) {

		Observation observation(Instant now) {
			Map<String, String> lowerCaseHeaders = new LinkedHashMap<>();
			if (this.headers != null) {
				this.headers.forEach((name, value) -> lowerCaseHeaders.put(name.toLowerCase(Locale.ROOT), value));
			}
			byte[] bytes = (this.body != null) ? this.body.getBytes(StandardCharsets.UTF_8) : null;
			return new Observation() {

				@Override
				public @Nullable Integer status() {
					return ResponseFixture.this.status;
				}

				@Override
				public @Nullable Duration responseTime() {
					return millis(ResponseFixture.this.responseTimeMs);
				}

				@Override
				public @Nullable String ip() {
					return ResponseFixture.this.ip;
				}

				@Override
				public @Nullable Boolean connected() {
					return ResponseFixture.this.connected;
				}

				@Override
				public @Nullable Duration certificateExpiration() {
					return millis(ResponseFixture.this.certificateExpirationMs);
				}

				@Override
				public byte @Nullable [] body() {
					return bytes;
				}

				@Override
				public @Nullable String header(String name) {
					return lowerCaseHeaders.get(name.toLowerCase(Locale.ROOT));
				}

				@Override
				public Instant observedAt() {
					return now;
				}

			};
		}

		private static @Nullable Duration millis(@Nullable Long value) {
			return (value != null) ? Duration.ofMillis(value) : null;
		}

	}

	/**
	 * The verdicts.
	 *
	 * @param success whether every condition passed
	 * @param results each condition with its verdict and Gatus-style explanation
	 */
	record EvaluationView(boolean success, List<ConditionResult> results) {
	}

}
