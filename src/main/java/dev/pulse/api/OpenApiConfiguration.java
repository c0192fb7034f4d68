package dev.pulse.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.pulse.PulseApplication;

/**
 * The OpenAPI description ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html})
 * as the API really answers: every error {@code application/problem+json} with one
 * {@code Problem} schema, the bearer tokens {@code ApiTokenFilter} asks for on the
 * operations that need them, and the errors its filters answer before any controller
 * runs. {@code OpenApiContractTest} checks real requests and answers against it.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

	static final String WRITE_TOKEN = "write-token";

	static final String READ_TOKEN = "read-token";

	private static final String PROBLEM_JSON = org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE;

	private static final String JSON = org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

	@Bean
	OpenAPI pulseOpenApi(ObjectProvider<BuildProperties> build) {
		BuildProperties properties = build.getIfAvailable();
		// The build's version (build-info), else the jar manifest's; never a literal.
		String version = (properties != null) ? properties.getVersion()
				: PulseApplication.class.getPackage().getImplementationVersion();
		return new OpenAPI()
			.info(new Info().title("Pulse")
				.version((version != null) ? version : "unknown")
				.description("HTTP heartbeats, health states and routing scores. Writes need the write token; "
						+ "reads need the read token (or the write token) only when pulse.api.read-token is set."))
			.components(new Components()
				.addSecuritySchemes(WRITE_TOKEN,
						bearer("pulse.api.write-token: every PUT, DELETE and POST "
								+ "under /api but POST /api/conditions/evaluate"))
				.addSecuritySchemes(READ_TOKEN,
						bearer("pulse.api.read-token: every other /api request, only when it is set; "
								+ "the write token is accepted too")));
	}

	private static SecurityScheme bearer(String description) {
		return new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer").description(description);
	}

	/** RFC 9457, with Pulse's two extensions. */
	@SuppressWarnings("rawtypes")
	private static Schema<?> problem() {
		Map<String, Schema> properties = new LinkedHashMap<>();
		properties.put("type", string("a URI reference naming the problem type; about:blank"));
		properties.put("title", string("a short summary of the problem type"));
		properties.put("status", integer("the HTTP status"));
		properties.put("detail", string("the explanation for people; may change"));
		properties.put("instance", string("the request's path"));
		properties.put("reason", string("a stable word for why, where the status alone does not say "
				+ "(target-disabled, probe-in-flight, probe-rate-limited, no-routable-target)"));
		properties.put("panic", new JsonSchema().types(Set.of("boolean"))
			.description("no-routable-target only: whether the service was in panic mode"));
		properties.put("targets",
				new JsonSchema().types(Set.of("array"))
					.items(new JsonSchema().$ref("#/components/schemas/Exclusion"))
					.description("no-routable-target only: why each target of the service cannot be picked"));
		properties.put("errors",
				new JsonSchema().types(Set.of("array"))
					.items(new JsonSchema().$ref("#/components/schemas/ProblemError"))
					.description("every invalid field or condition, so all are fixed in one round"));
		return new JsonSchema().types(Set.of("object"))
			.description("An error, as application/problem+json (RFC 9457)")
			.properties(properties)
			.required(List.of("title", "status"))
			.additionalProperties(false);
	}

	@SuppressWarnings("rawtypes")
	private static Schema<?> exclusion() {
		Map<String, Schema> properties = new LinkedHashMap<>();
		properties.put("target", string("the target's name"));
		properties.put("state", string("its health state"));
		properties.put("reason", string(
				"unreachable, unknown, unhealthy, no-weight, score-below-min-score or " + "error-rate-above-max"));
		properties.put("detail", string("the same for people, with the figures"));
		properties.put("lastFailure", new JsonSchema().types(Set.of("string", "null"))
			.description("the failure reason of its latest failed probe, such as connection-refused"));
		return new JsonSchema().types(Set.of("object"))
			.description("Why one target of a service cannot be picked now")
			.properties(properties)
			.required(List.of("target", "state", "reason", "detail", "lastFailure"))
			.additionalProperties(false);
	}

	@SuppressWarnings("rawtypes")
	private static Schema<?> problemError() {
		Map<String, Schema> properties = new LinkedHashMap<>();
		properties.put("field", string("the field, as the body spells it: timeout, retry.max-backoff, conditions[0]"));
		properties.put("message", string("what is wrong with it"));
		properties.put("pointer", string("a JSON pointer (RFC 6901) to the offending value in the body"));
		properties.put("expected", string("what was expected there"));
		properties.put("line", integer("line of the offending input, from 1"));
		properties.put("column", integer("column of the offending input, from 1"));
		properties.put("suggestion", string("a likely correction, such as the field's right spelling"));
		properties.put("condition", string("the condition that does not parse, as given"));
		properties.put("position", integer("where in the condition parsing failed, from 0"));
		return new JsonSchema().types(Set.of("object"))
			.description("One invalid field or condition")
			.properties(properties)
			.required(List.of("field", "message"))
			.additionalProperties(false);
	}

	private static Schema<?> string(String description) {
		return new JsonSchema().types(Set.of("string")).description(description);
	}

	private static Schema<?> integer(String description) {
		return new JsonSchema().types(Set.of("integer")).description(description);
	}

	/**
	 * Completes every operation under {@code /api} with what happens outside its
	 * controller, and types every answer as it is sent.
	 */
	@Bean
	OpenApiCustomizer pulseOperations() {
		return openApi -> {
			// Here, not in the OpenAPI bean: springdoc replaces the schemas it computes.
			openApi.getComponents()
				.addSchemas("Problem", problem())
				.addSchemas("ProblemError", problemError())
				.addSchemas("Exclusion", exclusion());
			openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, op) -> {
				if (path.startsWith("/api/")) {
					guard(path, method, op);
				}
				typeAnswers(op);
			}));
			removeUnused(openApi);
		};
	}

	/** As ApiTokenFilter, RequestSizeFilter and Jackson answer. */
	private static void guard(String path, PathItem.HttpMethod method, Operation op) {
		ApiResponses responses = op.getResponses();
		boolean write = method != PathItem.HttpMethod.GET && method != PathItem.HttpMethod.HEAD
				&& method != PathItem.HttpMethod.OPTIONS
				&& !(method == PathItem.HttpMethod.POST && path.equals("/api/conditions/evaluate"));
		if (write) {
			op.setSecurity(List.of(new SecurityRequirement().addList(WRITE_TOKEN)));
			add(responses, "401", "No write token (WWW-Authenticate: Bearer)");
			add(responses, "403", "A token that does not allow writes");
		}
		else {
			op.setSecurity(List.of(new SecurityRequirement().addList(READ_TOKEN),
					new SecurityRequirement().addList(WRITE_TOKEN)));
			add(responses, "401", "No token, when pulse.api.read-token is set (WWW-Authenticate: Bearer)");
			add(responses, "403",
					"A token that is neither the read nor the write token, when pulse.api.read-token is set");
		}
		add(responses, "400", "A path with ';' parameters");
		if (op.getRequestBody() != null) {
			add(responses, "400", "Malformed JSON, a wrong type, an unknown or missing field");
			add(responses, "413", "A body larger than pulse.limits.max-request-bytes");
			add(responses, "415", "A body that is not application/json");
		}
		ApiResponse tooMany = responses.get("429");
		if (tooMany != null) {
			tooMany.addHeaderObject("Retry-After", new Header().description("whole seconds, at least 1")
				.schema(new JsonSchema().types(Set.of("integer"))));
		}
	}

	/**
	 * Drops the schemas nothing refers to, such as {@code SseEmitter}'s, which springdoc
	 * derives from the event stream's return type although the stream is described as
	 * text: a reader should find only what is on the wire.
	 */
	@SuppressWarnings("rawtypes")
	private static void removeUnused(OpenAPI openApi) {
		Map<String, Schema> schemas = openApi.getComponents().getSchemas();
		boolean removed = true;
		while (removed) {
			String document = Json31.pretty(openApi);
			if (document == null) {
				return;
			}
			removed = schemas.keySet().removeIf(name -> !document.contains("\"#/components/schemas/" + name + "\""));
		}
	}

	/** Adds a response, or its cause to the one already described. */
	private static void add(ApiResponses responses, String status, String description) {
		ApiResponse existing = responses.get(status);
		if (existing == null) {
			responses.addApiResponse(status, new ApiResponse().description(description));
		}
		else if (existing.getDescription() == null || !existing.getDescription().contains(description)) {
			existing.setDescription(
					((existing.getDescription() != null) ? existing.getDescription() + "; " : "") + description);
		}
	}

	/**
	 * Errors are problem+json; answers springdoc typed {@code *}{@code /*} are JSON, as
	 * every controller writes them.
	 */
	private static void typeAnswers(Operation op) {
		op.getResponses().forEach((status, response) -> {
			if (status.startsWith("4") || status.startsWith("5")) {
				response.setContent(new Content().addMediaType(PROBLEM_JSON,
						new MediaType().schema(new JsonSchema().$ref("#/components/schemas/Problem"))));
			}
			else if (response.getContent() != null && response.getContent().containsKey("*/*")) {
				MediaType any = response.getContent().remove("*/*");
				response.getContent().addMediaType(JSON, any);
			}
		});
		if (op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
			op.getRequestBody().setRequired(true);
		}
	}

}
