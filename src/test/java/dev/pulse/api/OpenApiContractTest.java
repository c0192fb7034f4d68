package dev.pulse.api;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.pulse.support.FaultServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The served OpenAPI document describes the API exactly (#20 item 3): every request sent
 * here and every answer Pulse gives, success or problem, is checked against the schema
 * and the content type that {@code /v3/api-docs} declares for that operation and status.
 * A request the API rejects for its shape (a camelCase field) must be rejected by the
 * document's schema too. Every status the document declares for an operation under
 * {@code /api} is produced at least once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "pulse.api.write-token=" + OpenApiContractTest.WRITE,
				"pulse.api.read-token=" + OpenApiContractTest.READ, "pulse.security.ssrf.allow=127.0.0.0/8",
				"pulse.limits.max-request-bytes=4KB", "pulse.routing.services.lonely.panic-threshold=0" })
@ActiveProfiles("test")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractTest {

	static final String WRITE = "contract-write";

	static final String READ = "contract-read";

	private static final ObjectMapper json = new ObjectMapper();

	private static final FaultServer healthy = FaultServer.start(FaultServer.healthy());

	private static final FaultServer slow = FaultServer.start(FaultServer.slow(Duration.ofMillis(1500)));

	/** "METHOD template status" of every answer checked. */
	private static final Set<String> exercised = new ConcurrentSkipListSet<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private BuildProperties build;

	private JsonNode docs;

	private SchemaRegistry schemas;

	@DynamicPropertySource
	static void targets(DynamicPropertyRegistry registry) {
		registry.add("pulse.targets.configured.url", () -> healthy.url("/config"));
		registry.add("pulse.targets.configured.service", () -> "shop");
		registry.add("pulse.targets.configured.interval", () -> "200ms");
		registry.add("pulse.targets.configured.timeout", () -> "190ms");
		registry.add("pulse.targets.lonely-1.url", () -> "http://127.0.0.1:" + FaultServer.refusedPort() + "/");
		registry.add("pulse.targets.lonely-1.service", () -> "lonely");
		registry.add("pulse.targets.lonely-1.interval", () -> "200ms");
		registry.add("pulse.targets.lonely-1.timeout", () -> "190ms");
		registry.add("pulse.targets.lonely-1.retry.max-attempts", () -> "1");
	}

	@AfterAll
	static void stopServers() {
		healthy.close();
		slow.close();
	}

	@BeforeEach
	void loadDocument() throws Exception {
		HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/v3/api-docs")).GET().build());
		assertThat(answer.statusCode()).isEqualTo(200);
		this.docs = json.readTree(answer.body());
		this.schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi31());
	}

	@Test
	@Order(1)
	void documentShouldNamePulseItsVersionAndTheBearerTokens() {
		assertThat(this.docs.path("info").path("title").asString()).isEqualTo("Pulse");
		assertThat(this.docs.path("info").path("version").asString()).isEqualTo(this.build.getVersion());
		JsonNode security = this.docs.path("components").path("securitySchemes");
		for (String scheme : List.of("write-token", "read-token")) {
			assertThat(security.path(scheme).path("type").asString()).isEqualTo("http");
			assertThat(security.path(scheme).path("scheme").asString()).isEqualTo("bearer");
		}
		assertThat(operation("PUT", "/api/targets/{name}").path("security").toString())
			.isEqualTo("[{\"write-token\":[]}]");
		assertThat(operation("POST", "/api/conditions/evaluate").path("security").toString())
			.isEqualTo("[{\"read-token\":[]},{\"write-token\":[]}]");
		String document = this.docs.toString();
		for (String schema : this.docs.path("components").path("schemas").propertyNames()) {
			assertThat(document).as("a schema no operation uses").contains("\"#/components/schemas/" + schema + "\"");
		}
	}

	@Test
	@Order(2)
	void everyOperationShouldAnswerTokenAndPathErrorsAsDocumented() throws Exception {
		for (String[] op : operations()) {
			String method = op[0];
			String template = op[1];
			String path = concrete(template);
			@Nullable String body = bodyFor(method, template);
			call(method, template, path, null, body);
			call(method, template, path, "not-a-token", body);
			if (isWrite(method, template)) {
				call(method, template, path, READ, body);
			}
			call(method, template, path + ";p=1", WRITE, body);
		}
	}

	@Test
	@Order(3)
	void bodiesShouldBeRefusedAsDocumented() throws Exception {
		for (String[] op : operations()) {
			if (operation(op[0], op[1]).path("requestBody").isMissingNode()) {
				continue;
			}
			String path = concrete(op[1]);
			assertThat(call(op[0], op[1], path, WRITE, "{\"x\": \"" + "a".repeat(5000) + "\"}").statusCode())
				.isEqualTo(413);
			HttpResponse<String> plain = exchange(op[0], op[1], path, WRITE, "text/plain", "hello");
			assertThat(plain.statusCode()).isEqualTo(415);
			assertThat(call(op[0], op[1], path, WRITE, "{\"url\": ").statusCode()).isEqualTo(400);
		}
	}

	@Test
	@Order(4)
	void targetsShouldBeWrittenAndReadAsDocumented() throws Exception {
		String put = "/api/targets/{name}";
		String full = """
				{"service": "contract", "url": "%s", "method": "GET", "interval": "3s", "timeout": "700ms",
				 "jitter": "250ms", "conditions": ["[STATUS] == 200"], "weight": 7, "headers": {"X-A": "b"},
				 "body": null, "fresh-connection": true, "tls": {"insecure-skip-verify": false}, "enabled": true,
				 "retry": {"max-attempts": 2, "initial-backoff": "100ms", "multiplier": 2.0,
				           "randomization-factor": 0.5, "max-backoff": "1s", "retry-on": ["timeout"]}}
				""".formatted(healthy.url("/full"));
		assertThat(call("PUT", put, "/api/targets/reg-full", WRITE, full).statusCode()).isEqualTo(201);
		assertThat(call("PUT", put, "/api/targets/reg-full", WRITE, full).statusCode()).isEqualTo(200);
		assertThat(call("PUT", put, "/api/targets/reg-off", WRITE,
				"{\"url\": \"" + healthy.url("/off") + "\", \"enabled\": false}")
			.statusCode()).isEqualTo(201);
		HttpResponse<String> invalid = call("PUT", put, "/api/targets/reg-bad", WRITE, "{\"url\": \"" + healthy.url("/")
				+ "\", \"interval\": \"2s\", \"timeout\": \"5s\", \"jitter\": \"x\"}");
		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat(json.readTree(invalid.body()).path("errors").size()).isEqualTo(2);
		assertThat(call("PUT", put, "/api/targets/configured", WRITE, "{\"url\": \"" + healthy.url("/") + "\"}")
			.statusCode()).isEqualTo(409);

		await().atMost(Duration.ofSeconds(5))
			.until(() -> !json.readTree(read("/api/targets/reg-full").body()).path("latest").isNull());
		assertThat(call("GET", "/api/targets", "/api/targets", READ, null).statusCode()).isEqualTo(200);
		assertThat(call("GET", "/api/registrations/invalid", "/api/registrations/invalid", READ, null).statusCode())
			.isEqualTo(200);
		assertThat(call("GET", "/api/targets/{name}", "/api/targets/reg-full", READ, null).statusCode()).isEqualTo(200);
		assertThat(call("GET", "/api/targets/{name}", "/api/targets/nope", READ, null).statusCode()).isEqualTo(404);
		String results = "/api/targets/{name}/results";
		assertThat(call("GET", results, "/api/targets/reg-full/results?limit=5", READ, null).statusCode())
			.isEqualTo(200);
		assertThat(call("GET", results, "/api/targets/reg-full/results?limit=0", READ, null).statusCode())
			.isEqualTo(400);
		assertThat(call("GET", results, "/api/targets/nope/results", READ, null).statusCode()).isEqualTo(404);

		String delete = "/api/targets/{name}";
		assertThat(call("DELETE", delete, "/api/targets/reg-full", WRITE, null).statusCode()).isEqualTo(204);
		assertThat(call("DELETE", delete, "/api/targets/reg-full", WRITE, null).statusCode()).isEqualTo(404);
		assertThat(call("DELETE", delete, "/api/targets/configured", WRITE, null).statusCode()).isEqualTo(409);
	}

	/**
	 * The spellings springdoc used to document: the API refuses them, so must the schema.
	 */
	@Test
	@Order(5)
	void camelCaseFieldsShouldBeRefusedByTheApiAndByTheSchema() throws Exception {
		String url = healthy.url("/camel");
		for (String body : List.of("{\"url\": \"" + url + "\", \"freshConnection\": true}",
				"{\"url\": \"" + url + "\", \"retry\": {\"maxAttempts\": 2}}",
				"{\"url\": \"" + url + "\", \"tls\": {\"insecureSkipVerify\": true}}")) {
			assertThat(requestErrors("PUT", "/api/targets/{name}", body)).as(body).isNotEmpty();
			assertThat(call("PUT", "/api/targets/{name}", "/api/targets/camel", WRITE, body).statusCode()).as(body)
				.isEqualTo(400);
		}
		assertThat(requestErrors("PUT", "/api/targets/{name}",
				"{\"url\": \"" + url + "\", \"fresh-connection\": true, \"retry\": {\"max-attempts\": 2},"
						+ " \"tls\": {\"insecure-skip-verify\": true}}"))
			.isEmpty();
	}

	@Test
	@Order(6)
	void probesShouldAnswerAsDocumented() throws Exception {
		String probe = "/api/targets/{name}/probe";
		String put = "/api/targets/{name}";
		assertThat(call("PUT", put, "/api/targets/reg-slow", WRITE,
				"{\"url\": \"" + slow.url("/slow") + "\", \"interval\": \"30s\", \"timeout\": \"5s\"}")
			.statusCode()).isEqualTo(201);
		List<CompletableFuture<HttpResponse<String>>> probes = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			probes.add(this.http.sendAsync(request("POST", "/api/targets/reg-slow/probe", WRITE, null, null).build(),
					HttpResponse.BodyHandlers.ofString()));
		}
		Set<Integer> statuses = new TreeSet<>();
		for (CompletableFuture<HttpResponse<String>> answer : probes) {
			HttpResponse<String> response = answer.get(20, TimeUnit.SECONDS);
			check("POST", probe, response, null);
			statuses.add(response.statusCode());
		}
		assertThat(statuses).containsExactly(200, 429);
		assertThat(call("POST", probe, "/api/targets/nope/probe", WRITE, null).statusCode()).isEqualTo(404);
		assertThat(call("POST", probe, "/api/targets/reg-off/probe", WRITE, null).statusCode()).isEqualTo(409);
	}

	@Test
	@Order(7)
	void conditionsShouldAnswerAsDocumented() throws Exception {
		String evaluate = "/api/conditions/evaluate";
		assertThat(call("POST", evaluate, evaluate, READ,
				"{\"conditions\": [\"[STATUS] == 200\", \"[BODY].status == UP\"], "
						+ "\"response\": {\"status\": 503, \"body\": \"{\\\"status\\\":\\\"DOWN\\\"}\", "
						+ "\"responseTimeMs\": 12, \"headers\": {\"X-A\": \"b\"}}}")
			.statusCode()).isEqualTo(200);
		HttpResponse<String> unparsable = call("POST", evaluate, evaluate, READ,
				"{\"conditions\": [\"[STATUS] ==\", \"[NOPE] == 1\"], \"response\": {}}");
		assertThat(unparsable.statusCode()).isEqualTo(400);
		assertThat(json.readTree(unparsable.body()).path("errors").get(0).has("position")).isTrue();
		HttpResponse<String> empty = call("POST", evaluate, evaluate, READ, "{\"conditions\": [], \"response\": {}}");
		assertThat(empty.statusCode()).isEqualTo(400);
		assertThat(json.readTree(empty.body()).path("errors").get(0).path("field").asString()).isEqualTo("conditions");
	}

	@Test
	@Order(8)
	void servicesShouldAnswerAsDocumented() throws Exception {
		assertThat(call("GET", "/api/services", "/api/services", READ, null).statusCode()).isEqualTo(200);
		String scores = "/api/services/{service}/scores";
		assertThat(call("GET", scores, "/api/services/shop/scores", READ, null).statusCode()).isEqualTo(200);
		assertThat(call("GET", scores, "/api/services/nope/scores", READ, null).statusCode()).isEqualTo(404);
		String route = "/api/services/{service}/route";
		await().atMost(Duration.ofSeconds(10))
			.until(() -> read("/api/services/shop/route").statusCode() == 200
					&& read("/api/services/lonely/route").statusCode() == 503);
		assertThat(call("GET", route, "/api/services/shop/route?strategy=p2c", READ, null).statusCode()).isEqualTo(200);
		assertThat(call("GET", route, "/api/services/lonely/route", READ, null).statusCode()).isEqualTo(503);
		assertThat(call("GET", route, "/api/services/shop/route?strategy=nope", READ, null).statusCode())
			.isEqualTo(400);
		assertThat(call("GET", route, "/api/services/nope/route", READ, null).statusCode()).isEqualTo(404);
	}

	@Test
	@Order(9)
	void eventsShouldStreamAsDocumented() throws Exception {
		String events = "/api/events";
		HttpResponse<InputStream> stream = this.http.send(request("GET", events, READ, null, null).build(),
				HttpResponse.BodyHandlers.ofInputStream());
		try (InputStream body = stream.body()) {
			assertThat(stream.statusCode()).isEqualTo(200);
			assertThat(contentTypes("GET", events, 200)).contains(mediaType(stream));
			exercised.add("GET " + events + " 200");
		}
		HttpResponse<String> invalid = send(
				request("GET", events, READ, null, null).header("Last-Event-ID", "not-an-id").build());
		check("GET", events, invalid, null);
		assertThat(invalid.statusCode()).isEqualTo(400);
	}

	@Test
	@Order(10)
	void everyDocumentedAnswerShouldHaveBeenChecked() {
		List<String> declared = new ArrayList<>();
		for (String[] op : operations()) {
			operation(op[0], op[1]).path("responses")
				.propertyNames()
				.forEach(status -> declared.add(op[0] + " " + op[1] + " " + status));
		}
		// Answered only by a replica that does not own the target: ClusterIT checks it.
		declared.remove("GET /api/targets/{name}/results 421");
		assertThat(exercised).containsAll(declared);
		assertThat(declared).containsAll(exercised);
	}

	/** Every operation under /api, as {method, path template}. */
	private List<String[]> operations() {
		List<String[]> operations = new ArrayList<>();
		for (String path : this.docs.path("paths").propertyNames()) {
			if (path.startsWith("/api/")) {
				this.docs.path("paths")
					.path(path)
					.propertyNames()
					.forEach(method -> operations.add(new String[] { method.toUpperCase(), path }));
			}
		}
		assertThat(operations).hasSizeGreaterThanOrEqualTo(11);
		return operations;
	}

	private static String concrete(String template) {
		return template.replace("{name}", "configured").replace("{service}", "shop");
	}

	private static boolean isWrite(String method, String template) {
		return !method.equals("GET") && !template.equals("/api/conditions/evaluate");
	}

	private @Nullable String bodyFor(String method, String template) {
		if (operation(method, template).path("requestBody").isMissingNode()) {
			return null;
		}
		return template.equals("/api/conditions/evaluate")
				? "{\"conditions\": [\"[STATUS] == 200\"], \"response\": {\"status\": 200}}"
				: "{\"url\": \"" + healthy.url("/") + "\"}";
	}

	private JsonNode operation(String method, String template) {
		JsonNode operation = this.docs.path("paths").path(template).path(method.toLowerCase());
		assertThat(operation.isObject()).as(method + " " + template + " is documented").isTrue();
		return operation;
	}

	/**
	 * Sends a JSON request and checks it and its answer against the document: a request
	 * the API accepted must match the request schema.
	 */
	private HttpResponse<String> call(String method, String template, String path, @Nullable String token,
			@Nullable String body) throws Exception {
		HttpResponse<String> response = exchange(method, template, path, token,
				(body != null) ? "application/json" : null, body);
		if (body != null && response.statusCode() < 300) {
			assertThat(requestErrors(method, template, body)).as("request %s %s %s", method, path, body).isEmpty();
		}
		return response;
	}

	private HttpResponse<String> exchange(String method, String template, String path, @Nullable String token,
			@Nullable String contentType, @Nullable String body) throws Exception {
		HttpResponse<String> response = send(request(method, path, token, contentType, body).build());
		check(method, template, response, path);
		return response;
	}

	/** The answer's status, content type and body are as the document declares. */
	private void check(String method, String template, HttpResponse<String> response, @Nullable String path) {
		String what = method + " " + ((path != null) ? path : template) + " " + response.statusCode() + ": "
				+ response.body();
		JsonNode declared = operation(method, template).path("responses").path(Integer.toString(response.statusCode()));
		assertThat(declared.isObject()).as("status documented for " + what).isTrue();
		exercised.add(method + " " + template + " " + response.statusCode());
		for (String header : declared.path("headers").propertyNames()) {
			assertThat(response.headers().firstValue(header)).as(header + " of " + what).isPresent();
		}
		if (response.body().isEmpty()) {
			assertThat(declared.path("content").isMissingNode()).as("no body documented for " + what).isTrue();
			return;
		}
		String type = mediaType(response);
		if (response.statusCode() >= 400) {
			assertThat(type).as(what).isEqualTo("application/problem+json");
		}
		JsonNode schema = declared.path("content").path(type).path("schema");
		assertThat(schema.isObject()).as("content type " + type + " documented for " + what).isTrue();
		List<Error> errors = schema(schema).validate(json.readTree(response.body()));
		assertThat(errors).as("answer " + what).isEmpty();
	}

	private List<Error> requestErrors(String method, String template, String body) {
		JsonNode schema = operation(method, template).path("requestBody")
			.path("content")
			.path("application/json")
			.path("schema");
		assertThat(schema.isObject()).as("request schema of " + method + " " + template).isTrue();
		return schema(schema).validate(json.readTree(body));
	}

	/**
	 * A schema taken from the document, with the document's component schemas as its
	 * {@code $defs}, so its references resolve exactly as in the document.
	 */
	private Schema schema(JsonNode schema) {
		ObjectNode root = (ObjectNode) json.readTree(relocate(schema.toString()));
		root.set("$defs", json.readTree(relocate(this.docs.path("components").path("schemas").toString())));
		return this.schemas.getSchema(root);
	}

	private static String relocate(String schema) {
		return schema.replace("\"#/components/schemas/", "\"#/$defs/");
	}

	private static String mediaType(HttpResponse<?> response) {
		String type = response.headers().firstValue("Content-Type").orElse("");
		int semicolon = type.indexOf(';');
		return ((semicolon < 0) ? type : type.substring(0, semicolon)).trim();
	}

	private Set<String> contentTypes(String method, String template, int status) {
		return Set.copyOf(operation(method, template).path("responses")
			.path(Integer.toString(status))
			.path("content")
			.propertyNames());
	}

	private HttpResponse<String> read(String path) throws Exception {
		return send(request("GET", path, READ, null, null).build());
	}

	private HttpRequest.Builder request(String method, String path, @Nullable String token,
			@Nullable String contentType, @Nullable String body) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
			.timeout(Duration.ofSeconds(10))
			.method(method,
					(body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody());
		if (token != null) {
			builder.header("Authorization", "Bearer " + token);
		}
		if (contentType != null) {
			builder.header("Content-Type", contentType);
		}
		return builder;
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private HttpResponse<String> send(HttpRequest request) throws Exception {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
