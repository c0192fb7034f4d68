package dev.pulse.condition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class ConditionProperties {

	private static final List<String> GRAMMAR_TOKENS = List.of("[", "]", "(", ")", ".", ",", " ", "  ", "\t", "*", "?",
			"\\", "^", "-", "_", "0", "7", "x", "[STATUS]", "[status]", "[BODY]", "[BODY].", "[BODY][0]", "[IP]",
			"[HEADERS]", "[HEADERS].", "[CLOCK_SKEW]", "[CERTIFICATE_EXPIRATION]", "[STAUS]", "[DNS_RCODE]", "len(",
			"has(", "pat(", "any(", "foo(", "LEN(", "==", "!=", "<", "<=", ">", ">=", "=", "===", " == ", " != ", " < ",
			" >= ", "0x1F", "0b2", "1_0", "1s", "300ms", "1.5", "1e400", "inf", "true", "UP", "é", "\ud83d\ude00",
			"\ud800");

	private static final List<String> OPERANDS = List.of("[STATUS]", "[status]", "[IP]", "[RESPONSE_TIME]",
			"[CONNECTED]", "[CERTIFICATE_EXPIRATION]", "[CLOCK_SKEW]", "[HEADERS].Date", "[HEADERS].X-Id", "[BODY]",
			"[BODY].a", "[BODY].a.b", "[BODY][0]", "[BODY][0][1]", "[BODY].a[2].b", "[body].A", "len([BODY])",
			"len([BODY].a)", "len([IP])", "has([BODY])", "has([BODY].a[0])", "has([HEADERS].Date)", "pat(*)",
			"pat(a*b?c[x-z])", "pat([^0-9]*)", "any(1, 2, a)", "any()", "200", "-1", "0x1F", "0o7", "0b1", "1_000",
			"1.5", "3e2", "1e400", "inf", "nan", "300ms", "48h", "0", "true", "UP", "[1 2]", "{}", "a b");

	private static final List<String> JSON_TOKENS = List.of("{", "}", "[", "]", ":", ",", " ", "\"a\"", "\"b\"",
			"\"\\u00e9\"", "\"\\ud800\"", "\"x\\n\"", "1", "-0", "0.5", "1e400", "12345678901234567890", "true", "null",
			"\"0x1F\"", "\"2s\"");

	@Property(tries = 1000)
	void parseShouldThrowNothingButSyntaxErrorsForAnyText(@ForAll String text) {
		assertParsesOrReportsSyntax(text);
	}

	@Property(tries = 3000)
	void parseShouldThrowNothingButSyntaxErrorsForGrammarTokens(@ForAll("grammarSoup") String text) {
		assertParsesOrReportsSyntax(text);
	}

	@Property(tries = 2000)
	void evaluateShouldNeverThrowWhateverTheResponse(@ForAll("conditionTexts") String text,
			@ForAll("responses") FakeResponse response) {
		Condition condition;
		try {
			condition = Condition.parse(text);
		}
		catch (ConditionSyntaxException ex) {
			// pat() or any() with an ordering, or on both sides: not what this is about
			Assume.that(false);
			return;
		}

		// Without the safety net of evaluate(), so that any exception shows
		ConditionResult result = condition.evaluateUnguarded(response);

		assertThat(result.condition()).isEqualTo(condition.text());
		if (result.success()) {
			assertThat(result.output()).isEqualTo(condition.text());
		}
		assertThat(condition.evaluate(response)).isEqualTo(result);
	}

	@Property(tries = 1000)
	void globShouldAgreeWithABacktrackingMatcher(@ForAll("globs") String pattern, @ForAll("globValues") String value) {
		assertThat(GlobPattern.compile(pattern).matches(value)).isEqualTo(backtrack(pattern, 0, value, 0));
	}

	private static void assertParsesOrReportsSyntax(String text) {
		Throwable thrown = catchThrowable(() -> Condition.parse(text));
		if (thrown == null) {
			assertThat(Condition.parse(text).text()).isEqualTo(text.strip());
			return;
		}
		assertThat(thrown).isInstanceOf(ConditionSyntaxException.class);
		ConditionSyntaxException ex = (ConditionSyntaxException) thrown;
		assertThat(ex.condition()).isEqualTo(text.strip());
		assertThat(ex.position()).isBetween(0, ex.condition().length());
	}

	@Provide
	Arbitrary<String> grammarSoup() {
		return Arbitraries.of(GRAMMAR_TOKENS).list().ofMaxSize(14).map((tokens) -> String.join("", tokens));
	}

	@Provide
	Arbitrary<String> conditionTexts() {
		Arbitrary<String> operands = Arbitraries.of(OPERANDS);
		Arbitrary<String> operators = Arbitraries.of("==", "!=", "<", "<=", ">", ">=");
		return Combinators.combine(operands, operators, operands)
			.as((left, op, right) -> left + " " + op + " " + right);
	}

	@Provide
	Arbitrary<FakeResponse> responses() {
		Arbitrary<Integer> statuses = Arbitraries.integers().between(-1, 999).injectNull(0.2);
		Arbitrary<Long> millis = Arbitraries.oneOf(Arbitraries.longs().between(-100_000, 100_000_000),
				Arbitraries.of(Long.MIN_VALUE / 2_000_000, Long.MAX_VALUE / 2_000_000, 0L));
		Arbitrary<String> texts = Arbitraries.strings().ofMaxLength(30).injectNull(0.3);
		Arbitrary<Boolean> flags = Arbitraries.of(true, false).injectNull(0.3);
		return Combinators.combine(statuses, millis, texts, flags, bodies(), texts, dates())
			.as((status, ms, ip, connected, body, header, date) -> {
				FakeResponse response = FakeResponse.response().status(status).ip(ip).connected(connected);
				response.responseTime(ms).certificateExpiration(Duration.ofMillis(-ms));
				if (body != null) {
					response.body(body);
				}
				if (header != null) {
					response.header("X-Id", header);
				}
				if (date != null) {
					response.header("Date", date).observedAt("2024-01-01T00:00:00Z");
				}
				return response;
			});
	}

	private Arbitrary<byte[]> bodies() {
		Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
		Arbitrary<byte[]> jsonish = Arbitraries.of(JSON_TOKENS)
			.list()
			.ofMaxSize(20)
			.map((tokens) -> String.join("", tokens).getBytes(StandardCharsets.UTF_8));
		Arbitrary<byte[]> deep = Arbitraries.integers()
			.between(500, 3000)
			.map((depth) -> ("[".repeat(depth) + "1" + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8));
		Arbitrary<byte[]> strings = Arbitraries.strings()
			.ofMaxLength(40)
			.map((s) -> s.getBytes(StandardCharsets.UTF_8));
		return Arbitraries.oneOf(random, jsonish, jsonish, deep, strings).injectNull(0.1);
	}

	private Arbitrary<String> dates() {
		return Arbitraries
			.of("Mon, 01 Jan 2024 00:00:01 GMT", "Tue, 01 Jan 2024 00:00:01 GMT", "garbage", "",
					"Fri, 31 Dec 9999 23:59:59 GMT")
			.injectNull(0.3);
	}

	@Provide
	Arbitrary<String> globs() {
		return Arbitraries.of("a", "b", "*", "?", "[ab]", "[^a]").list().ofMaxSize(7).map((t) -> String.join("", t));
	}

	@Provide
	Arbitrary<String> globValues() {
		return Arbitraries.strings().withChars('a', 'b', 'c').ofMaxLength(8);
	}

	/** Full glob semantics by exhaustive backtracking, for small inputs only. */
	private static boolean backtrack(String pattern, int p, String value, int v) {
		if (p == pattern.length()) {
			return v == value.length();
		}
		char c = pattern.charAt(p);
		if (c == '*') {
			for (int skip = v; skip <= value.length(); skip++) {
				if (backtrack(pattern, p + 1, value, skip)) {
					return true;
				}
			}
			return false;
		}
		if (v == value.length()) {
			return false;
		}
		if (c == '[') {
			int close = pattern.indexOf(']', p);
			String members = pattern.substring(p + 1, close);
			boolean negated = members.startsWith("^");
			boolean in = members.substring(negated ? 1 : 0).indexOf(value.charAt(v)) >= 0;
			return in != negated && backtrack(pattern, close + 1, value, v + 1);
		}
		return (c == '?' || c == value.charAt(v)) && backtrack(pattern, p + 1, value, v + 1);
	}

}
