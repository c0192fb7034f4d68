package dev.pulse.api;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import dev.pulse.support.ApiClient;
import dev.pulse.support.RunningPulse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input on every write endpoint of one real Pulse: random JSON with random types
 * in every field, huge strings, deep nesting, invalid UTF-8, wrong content types,
 * oversized and chunked bodies, hostile path segments. Every answer must be a 4xx
 * {@code application/problem+json} (never a 500; the client's timeouts catch a hang), and
 * the targets and the store's rows must be exactly as before.
 * <p>
 * Every generated target body is invalid on purpose (a URL that cannot be probed, or a
 * name that cannot be a target's), so any 2xx is a bug, not luck. Bounded: about 1,400
 * requests in all.
 */
class HostileInputProperties {

	private static final String TOKEN = "hostile-write-token";

	/** Targets registered before the properties run; disabled, so nothing changes. */
	private static final List<String> REGISTERED = List.of("victim-a", "victim-b");

	private static final List<String> FIELDS = List.of("service", "url", "method", "headers", "body", "interval",
			"timeout", "jitter", "conditions", "weight", "fresh-connection", "tls", "enabled", "retry");

	private static final List<String> RETRY_FIELDS = List.of("max-attempts", "initial-backoff", "multiplier",
			"randomization-factor", "max-backoff", "retry-on");

	private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml",
			"application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=UTF-16",
			"application/json; charset=ISO-8859-1", "application/json; charset=no-such-charset", "application/yaml",
			"application/octet-stream", "nonsense", "application/problem+json", "text/event-stream");

	private static @Nullable RunningPulse pulse;

	private static @Nullable ApiClient api;

	private static @Nullable State before;

	@BeforeContainer
	static void start() throws Exception {
		pulse = RunningPulse.start("pulse.api.write-token=" + TOKEN,
				"pulse.targets.configured.url=http://configured.invalid/", "pulse.targets.configured.enabled=false");
		api = pulse.api().withToken(TOKEN);
		for (String name : REGISTERED) {
			HttpResponse<String> created = api.put("/api/targets/" + name, "{\"url\": \"http://" + name
					+ ".invalid/health\", \"enabled\": false, \"headers\": {\"Authorization\": \"Bearer x\"}}");
			assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		}
		before = State.read();
		assertThat(before.rows()).hasSize(REGISTERED.size());
	}

	@AfterContainer
	static void stop() {
		if (pulse != null) {
			pulse.close();
		}
	}

	@Property(tries = 450, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
	void putWithHostileBodyShouldAnswerProblemAndChangeNothing(@ForAll("hostilePuts") Request request)
			throws Exception {
		assertRefusedAndUnchanged(request);
	}

	@Property(tries = 200, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
	void deleteAndProbeOfUnknownNamesShouldAnswerProblemAndChangeNothing(@ForAll("unknownNames") String name,
			@ForAll("payloads") Payload payload, @ForAll boolean delete) throws Exception {
		String path = "/api/targets/" + name + (delete ? "" : "/probe");
		assertRefusedAndUnchanged(new Request(delete ? "DELETE" : "POST", path, payload));
	}

	@Property(tries = 20, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
	void deleteOfAConfiguredTargetShouldAnswer409(@ForAll("payloads") Payload payload) throws Exception {
		HttpResponse<String> response = assertRefusedAndUnchanged(
				new Request("DELETE", "/api/targets/configured", payload));

		assertThat(response.statusCode()).isEqualTo((payload.bytes().length > 1024 * 1024) ? 413 : 409);
	}

	@Property(tries = 200, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
	void dryRunWithHostileBodyShouldAnswerProblem(@ForAll("payloads") Payload payload) throws Exception {
		assertRefusedAndUnchanged(new Request("POST", "/api/conditions/evaluate", payload));
	}

	/** The condition parser through the API: verdicts or positioned syntax errors. */
	@Property(tries = 300, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
	void dryRunShouldAnswerVerdictsOrPositionedErrors(@ForAll("conditionLists") List<String> conditions,
			@ForAll("bodies") String body) throws Exception {
		// Written by hand: lone surrogates must reach Pulse as they are.
		String request = "{\"conditions\":" + Value.array(conditions.stream().map(Value::quote).toList())
				+ ",\"response\":{\"status\":200,\"body\":" + Value.quote(body) + "}}";
		HttpResponse<String> response = api().post("/api/conditions/evaluate", request);

		if (response.statusCode() == 200) {
			JsonNode results = ApiClient.parse(response.body()).path("results");
			assertThat(results.size()).isEqualTo(conditions.size());
		}
		else {
			JsonNode problem = assertProblem(response, request);
			assertThat(response.statusCode()).isEqualTo(400);
			for (JsonNode error : problem.path("errors")) {
				int index = Integer.parseInt(error.path("field").asString().replaceAll("\\D", ""));
				assertThat(error.path("position").asInt()).isBetween(0, conditions.get(index).strip().length());
			}
		}
		assertThat(State.read()).isEqualTo(before);
	}

	private static HttpResponse<String> assertRefusedAndUnchanged(Request request) throws Exception {
		HttpResponse<String> response = api().exchange(request.method(), request.path(),
				request.payload().contentType(), request.payload().publisher());

		assertProblem(response, request);
		Statistics.collect(response.statusCode());
		assertThat(State.read()).as("targets and store after %s", request).isEqualTo(before);
		return response;
	}

	private static JsonNode assertProblem(HttpResponse<String> response, Object request) {
		assertThat(response.statusCode()).as("%s answered %s", request, abbreviate(response.body()))
			.isBetween(400, 499);
		assertThat(response.headers().firstValue("Content-Type")).as("%s", request)
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = ApiClient.parse(response.body());
		assertThat(problem.path("status").asInt()).as("%s", request).isEqualTo(response.statusCode());
		return problem;
	}

	private static ApiClient api() {
		assertThat(api).as("Pulse is running").isNotNull();
		return api;
	}

	// ---------------------------------------------------------------- generators

	@Provide
	Arbitrary<Request> hostilePuts() {
		Arbitrary<Request> badUrl = Combinators
			.combine(Arbitraries.of("victim-a", "victim-b", "fresh-name", "configured"), targetBodies(badUrls()))
			.as((name, payload) -> new Request("PUT", "/api/targets/" + name, payload));
		Arbitrary<Request> badName = Combinators.combine(badNames(), targetBodies(Arbitraries.just(Value.VALID_URL)))
			.as((name, payload) -> new Request("PUT", "/api/targets/" + name, payload));
		Arbitrary<Request> garbage = Combinators
			.combine(Arbitraries.of("victim-a", "fresh-name", "configured"), garbagePayloads())
			.as((name, payload) -> new Request("PUT", "/api/targets/" + name, payload));
		return Arbitraries.frequencyOf(Tuple.of(4, badUrl), Tuple.of(2, badName), Tuple.of(3, garbage));
	}

	@Provide
	Arbitrary<Payload> payloads() {
		return Arbitraries.oneOf(targetBodies(badUrls()), garbagePayloads());
	}

	/**
	 * Names that are no target: random text, percent-encoded, and raw hostile segments.
	 */
	@Provide
	Arbitrary<String> unknownNames() {
		Arbitrary<String> random = Arbitraries.strings().ofMinLength(1).ofMaxLength(80).map(Value::percentEncode);
		return Arbitraries.oneOf(random, badNames(), Arbitraries.of("nope", "a", "victim-c", "victim-a-"))
			.filter((name) -> !REGISTERED.contains(name) && !name.equals("configured"));
	}

	/** Names a target can never have, some of which Tomcat refuses before Spring. */
	private Arbitrary<String> badNames() {
		Arbitrary<String> fixed = Arbitraries.of("Victim-A", "UPPER", "-dash", ".dot", "a".repeat(64), "%2e%2e",
				"..%2F..", "a%2Fb", "a%5Cb", "a%00b", "%C3%28", "%FF", "a%20b", "%E2%80%AE", "a%0D%0Ab", "%F0%9F%98%80",
				"a;b=c%3B", "%25", "a%09");
		Arbitrary<String> random = Arbitraries.strings()
			.ofMinLength(1)
			.ofMaxLength(300)
			.filter((name) -> !name.matches("[a-z0-9][a-z0-9._-]{0,62}"))
			.map(Value::percentEncode);
		return Arbitraries.oneOf(fixed, random);
	}

	/** URL values that can never be probed: wrong types, denied hosts, not http. */
	private Arbitrary<String> badUrls() {
		Arbitrary<String> fixed = Arbitraries.of(Value.ABSENT, "null", "5", "true", "[]", "{}",
				"[\"http://example.invalid/\"]", "{\"url\": \"http://example.invalid/\"}", "\"\"", "\" \"",
				"\"http://127.0.0.1:8080/\"", "\"http://[::1]/\"", "\"http://169.254.169.254/latest/meta-data\"",
				"\"http://0x7f000001/\"", "\"http://2130706433/\"", "\"http://0/\"", "\"http://[::ffff:127.0.0.1]/\"",
				"\"ftp://example.invalid/\"", "\"file:///etc/passwd\"", "\"gopher://example.invalid/\"",
				"\"javascript:alert(1)\"", "\"http://\"", "\"http:///x\"", "\"//example.invalid/\"",
				"\"http://exa mple.invalid/\"", "\"http://example.invalid:99999/\"", "\"http://example.invalid:0/\"",
				"\"http://user:pw@/\"", "\"http://127.0.0.1/" + "a".repeat(100_000) + "\"");
		Arbitrary<String> random = Arbitraries.strings()
			.ofMaxLength(200)
			.filter((text) -> !text.regionMatches(true, 0, "http", 0, 4))
			.map(Value::quote);
		return Arbitraries.oneOf(fixed, random);
	}

	/**
	 * Objects of random fields with random types; {@code url} is always the given one.
	 */
	private Arbitrary<Payload> targetBodies(Arbitrary<String> urls) {
		Arbitrary<Map<String, String>> fields = Arbitraries.of(FIELDS)
			.filter((field) -> !field.equals("url"))
			.set()
			.ofMaxSize(8)
			.flatMap((names) -> {
				if (names.isEmpty()) {
					return Arbitraries.just(Map.<String, String>of());
				}
				List<Arbitrary<Map.Entry<String, String>>> entries = new ArrayList<>();
				for (String name : names) {
					entries.add(fieldValue(name).map((value) -> Map.entry(name, value)));
				}
				return Combinators.combine(entries).as((list) -> {
					Map<String, String> map = new java.util.LinkedHashMap<>();
					list.forEach((entry) -> map.put(entry.getKey(), entry.getValue()));
					return map;
				});
			});
		Arbitrary<String> unknown = Arbitraries.of(Value.ABSENT, "nope", "URL", "url ", "Url", "__proto__", "@type");
		return Combinators.combine(fields, urls, unknown, contentTypes(0.8)).as((map, url, extra, type) -> {
			StringBuilder body = new StringBuilder("{");
			map.forEach((name, value) -> body.append(Value.quote(name)).append(':').append(value).append(','));
			if (!url.equals(Value.ABSENT)) {
				body.append("\"url\":").append(url).append(',');
			}
			if (!extra.equals(Value.ABSENT)) {
				body.append(Value.quote(extra)).append(":1,");
			}
			if (body.charAt(body.length() - 1) == ',') {
				body.setLength(body.length() - 1);
			}
			return Payload.of(type, body.append('}').toString());
		});
	}

	/** A plausible value for a field half the time, any JSON value the other half. */
	private Arbitrary<String> fieldValue(String field) {
		Arbitrary<String> plausible = switch (field) {
			case "headers" ->
				Arbitraries
					.maps(Arbitraries.strings().ofMaxLength(20),
							Arbitraries.oneOf(Value.strings(), Arbitraries.just("null")))
					.ofMaxSize(34)
					.map(Value::object);
			case "conditions" ->
				Arbitraries.oneOf(Value.strings(), Arbitraries.just("null")).list().ofMaxSize(5).map(Value::array);
			case "retry" -> Arbitraries.maps(Arbitraries.of(RETRY_FIELDS), Value.any(1)).ofMaxSize(6).map((map) -> {
				StringBuilder object = new StringBuilder("{");
				map.forEach((key, value) -> object.append(Value.quote(key)).append(':').append(value).append(','));
				return (object.length() > 1) ? object.substring(0, object.length() - 1) + "}" : "{}";
			});
			case "tls" -> Value.any(0).map((value) -> "{\"insecure-skip-verify\":" + value + "}");
			case "interval", "timeout",
					"jitter" ->
				Arbitraries
					.of("\"10s\"", "\"0s\"", "\"-1s\"", "\"1ms\"", "\"P1D\"", "\"PT0.5S\"", "\"999999999999d\"",
							"\"10\"", "\"1h1h\"", "\"\"")
					.injectNull(0.1)
					.map((value) -> (value != null) ? value : "null");
			case "weight" -> Arbitraries.of("0", "-1", "1001", "1e400", "2.5", "9223372036854775808", "\"100\"");
			case "method" -> Arbitraries.of("\"GET\"", "\"get\"", "\"G ET\"", "\"CONNECT\"", "\"\"",
					"\"" + "A".repeat(17) + "\"", "\"\\u0000\"");
			default -> Value.strings();
		};
		return Arbitraries.oneOf(plausible, Value.any(3));
	}

	/** Bodies that are not a JSON object at all, or are too large. */
	private Arbitrary<Payload> garbagePayloads() {
		Arbitrary<Payload> bytes = Combinators
			.combine(Arbitraries.bytes().array(byte[].class).ofMaxSize(2000), contentTypes(0.7))
			.as((body, type) -> new Payload(type, body, false));
		Arbitrary<Payload> badUtf8 = Combinators
			.combine(Arbitraries.of(new byte[] { (byte) 0xC3, 0x28 }, new byte[] { (byte) 0xA0, (byte) 0xA1 },
					new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, new byte[] { (byte) 0xC0, (byte) 0xAF },
					new byte[] { (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80 },
					new byte[] { (byte) 0xFF, (byte) 0xFE }), Arbitraries.of("url", "service", "nope"))
			.as((bad, field) -> {
				// Not http: Jackson reads an overlong sequence (C0 AF) as '/', so the URL
				// must be invalid whatever the bytes decode to.
				byte[] head = ("{\"" + field + "\": \"ftp://x").getBytes(StandardCharsets.UTF_8);
				byte[] body = new byte[head.length + bad.length + 2];
				System.arraycopy(head, 0, body, 0, head.length);
				System.arraycopy(bad, 0, body, head.length, bad.length);
				body[body.length - 2] = '"';
				body[body.length - 1] = '}';
				return new Payload("application/json", body, false);
			});
		Arbitrary<Payload> deep = Combinators
			.combine(Arbitraries.integers().between(600, 20_000), Arbitraries.of("[", "{\"a\":"),
					Arbitraries.of("", "{\"url\":", "{\"nope\":", "{\"headers\":", "{\"retry\":"))
			.as((depth, open, prefix) -> {
				String close = open.equals("[") ? "]" : "}";
				String suffix = prefix.isEmpty() ? "" : "}";
				return Payload.of("application/json", prefix + open.repeat(depth) + "1" + close.repeat(depth) + suffix);
			});
		Arbitrary<Payload> notObjects = Arbitraries
			.of("", " ", "[]", "null", "1", "\"s\"", "true", "{", "}", "{\"url\"", "{\"url\":}", "{,}", "{\"a\":1,}",
					"\uFEFF{\"url\": 1}", "/* */{}", "{\"weight\": NaN}", "{\"weight\": Infinity}", "{'url': 1}",
					"{\"url\": \"\\ud800\"}", "{\"url\": \"\\u0000\"}", "{\"url\": 1}{\"url\": 2}")
			.map((text) -> Payload.of("application/json", text));
		Arbitrary<Payload> huge = Combinators
			.combine(Arbitraries.integers().between(100_000, 1_000_000), Arbitraries.of("url", "service", "body"))
			.as((size, field) -> Payload.of("application/json",
					"{\"" + field + "\": \"" + "x".repeat(size - 20) + "\", \"url\": 7}"));
		Arbitrary<Payload> tooLarge = Combinators
			.combine(Arbitraries.integers().between(1_048_577, 1_600_000), Arbitraries.of(true, false),
					contentTypes(0.7))
			.as((size, chunked, type) -> new Payload(type, new byte[size], chunked));
		return Arbitraries.frequencyOf(Tuple.of(3, bytes), Tuple.of(2, badUtf8), Tuple.of(2, deep),
				Tuple.of(3, notObjects), Tuple.of(1, huge), Tuple.of(1, tooLarge));
	}

	/** {@code application/json} with the given probability, else a wrong one or none. */
	private Arbitrary<@Nullable String> contentTypes(double json) {
		int weight = (int) Math.round(json * 100);
		return Arbitraries.frequencyOf(Tuple.of(weight, Arbitraries.just("application/json")),
				Tuple.of(100 - weight, Arbitraries.of(CONTENT_TYPES).injectNull(0.15)));
	}

	@Provide
	Arbitrary<List<String>> conditionLists() {
		Arbitrary<String> tokens = Arbitraries
			.of("[STATUS]", "[BODY]", "[BODY].a", "[BODY][0]", "[HEADERS].X", "[IP]", "[RESPONSE_TIME]", "len(", "has(",
					"pat(", "any(", ")", "(", "[", "]", ".", ",", " ", "==", "!=", "<", ">=", "200", "1e400", "0x1F",
					"\"", "\\", "é", "\ud800", "*", "?", "UP")
			.list()
			.ofMaxSize(12)
			.map((list) -> String.join("", list));
		Arbitrary<String> huge = Arbitraries.integers()
			.between(1_000, 20_000)
			.flatMap((n) -> Arbitraries.of("len(".repeat(n) + "[BODY]" + ")".repeat(n) + " == 1",
					"[BODY]" + "[0]".repeat(n) + " == 1", "[BODY]." + "a.".repeat(n) + "b == UP",
					"[BODY] == pat(" + "*?".repeat(n) + "x)", "any(" + "1, ".repeat(n) + "2) == [STATUS]",
					"[STATUS] == " + "(".repeat(n)));
		return Arbitraries.oneOf(tokens, Arbitraries.strings().ofMaxLength(60), huge).list().ofMinSize(1).ofMaxSize(5);
	}

	@Provide
	Arbitrary<String> bodies() {
		return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(100),
				Arbitraries.integers().between(100, 5_000).map((depth) -> "[".repeat(depth) + "1" + "]".repeat(depth)),
				Arbitraries.just("{\"a\": [1, {\"b\": \"UP\"}]}"));
	}

	/** The targets as the API lists them, and the store's rows. */
	record State(String targets, List<Map<String, Object>> rows) {

		static State read() throws Exception {
			HttpResponse<String> targets = api().get("/api/targets");
			assertThat(targets.statusCode()).isEqualTo(200);
			return new State(targets.body(), pulse.storedRows());
		}

	}

	/** One request: method, path (already percent-encoded) and payload. */
	record Request(String method, String path, Payload payload) {

		@Override
		public String toString() {
			return this.method + " " + abbreviate(this.path) + " " + this.payload;
		}

	}

	/** A body with its content type; chunked means no Content-Length. */
	record Payload(@Nullable String contentType, byte[] bytes, boolean chunked) {

		static Payload of(@Nullable String contentType, String text) {
			return new Payload(contentType, text.getBytes(StandardCharsets.UTF_8), false);
		}

		HttpRequest.BodyPublisher publisher() {
			return this.chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(this.bytes))
					: HttpRequest.BodyPublishers.ofByteArray(this.bytes);
		}

		@Override
		public String toString() {
			return "[" + this.contentType + (this.chunked ? ", chunked" : "") + ", " + this.bytes.length + " bytes] "
					+ abbreviate(new String(this.bytes, StandardCharsets.UTF_8));
		}

	}

	private static String abbreviate(String text) {
		return (text.length() > 300) ? text.substring(0, 300) + "... (" + text.length() + " chars)" : text;
	}

	/** JSON text for random values, written by hand so that any shape can be sent. */
	static final class Value {

		static final String ABSENT = "<absent>";

		static final String VALID_URL = "\"http://example.invalid/health\"";

		private Value() {
		}

		static Arbitrary<String> strings() {
			Arbitrary<String> any = Arbitraries.strings().all().ofMaxLength(40);
			Arbitrary<String> controls = Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(5);
			Arbitrary<String> plausible = Arbitraries.of("", " ", "10s", "GET", "[STATUS] == 200", "http://x/",
					"Bearer x", "a\r\nX-Injected: 1", "\u0000", "\ud800", "\u202e");
			Arbitrary<String> huge = Arbitraries.integers().between(10_000, 40_000).map("y"::repeat);
			return Arbitraries
				.frequencyOf(Tuple.of(4, any), Tuple.of(1, controls), Tuple.of(3, plausible), Tuple.of(1, huge))
				.map(Value::quote);
		}

		static Arbitrary<String> any(int depth) {
			Arbitrary<String> leaves = Arbitraries.oneOf(strings(),
					Arbitraries.of("null", "true", "false", "0", "-0", "-1", "1e400", "-1e400", "0.1",
							"123456789012345678901234567890", "2147483648", "1E-400"),
					Arbitraries.integers().map(String::valueOf));
			if (depth <= 0) {
				return leaves;
			}
			Arbitrary<String> arrays = Arbitraries.lazy(() -> any(depth - 1)).list().ofMaxSize(4).map(Value::array);
			Arbitrary<String> objects = Arbitraries
				.maps(Arbitraries.strings().ofMaxLength(10), Arbitraries.lazy(() -> any(depth - 1)))
				.ofMaxSize(4)
				.map((map) -> {
					StringBuilder object = new StringBuilder("{");
					map.forEach((key, value) -> object.append(quote(key)).append(':').append(value).append(','));
					return (object.length() > 1) ? object.substring(0, object.length() - 1) + "}" : "{}";
				});
			return Arbitraries.frequencyOf(Tuple.of(4, leaves), Tuple.of(1, arrays), Tuple.of(1, objects));
		}

		static String array(List<String> values) {
			return "[" + String.join(",", values) + "]";
		}

		/** An object whose values are already JSON text. */
		static String object(Map<String, String> entries) {
			StringBuilder object = new StringBuilder("{");
			entries.forEach((key, value) -> object.append(quote(key)).append(':').append(value).append(','));
			return (object.length() > 1) ? object.substring(0, object.length() - 1) + "}" : "{}";
		}

		/**
		 * A JSON string; every non-ASCII and control character escaped, lone surrogates
		 * too.
		 */
		static String quote(String text) {
			StringBuilder quoted = new StringBuilder("\"");
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (c == '"' || c == '\\') {
					quoted.append('\\').append(c);
				}
				else if (c < 0x20 || c > 0x7e) {
					quoted.append(String.format("\\u%04x", (int) c));
				}
				else {
					quoted.append(c);
				}
			}
			return quoted.append('"').toString();
		}

		/** Every character but the URL-unreserved ones as %XX of its UTF-8 bytes. */
		static String percentEncode(String text) {
			StringBuilder encoded = new StringBuilder();
			for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
				char c = (char) (b & 0xFF);
				boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
						|| "-._~".indexOf(c) >= 0;
				encoded.append(unreserved ? String.valueOf(c) : String.format("%%%02X", b & 0xFF));
			}
			return encoded.toString();
		}

	}

}
