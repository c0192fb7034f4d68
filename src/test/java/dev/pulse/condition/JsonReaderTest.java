package dev.pulse.condition;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class JsonReaderTest {

	@Test
	@SuppressWarnings("unchecked")
	void documentShouldDecodeToMapsListsStringsDoublesAndBooleans() {
		ParsedJson parsed = read(" {\"a\": [1, -2.5e1, true, false, null, \"x\"], \"b\": {}} \n");

		assertThat(parsed.valid()).isTrue();
		Map<?, ?> root = (Map<?, ?>) parsed.root();
		assertThat((List<Object>) root.get("a")).containsExactly(1.0, -25.0, true, false, null, "x");
		assertThat(root.get("b")).isEqualTo(Map.of());
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{'a':1}", "01", "1.", ".5", "-", "+1", "1e",
			"NaN", "Infinity", "tru", "nul", "[1 2]", "{\"a\" 1}", "{1:2}", "\"abc", "\"a\tb\"", "\"\\x\"", "\"\\u12\"",
			"1 2", "{} x", "1e400", "-1e400", "/* c */ 1", "\ufeff1" })
	void textThatGoRejectsShouldNotBeJson(String text) {
		assertThat(read(text).valid()).isFalse();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "0", "-0", "1e-400", "\"\"", "null", "[]", "{}", "[[[]]]", "\"\\u00e9\\n\\/\"", "1E+2" })
	void valueThatGoAcceptsShouldBeJson(String text) {
		assertThat(read(text).valid()).isTrue();
	}

	@Test
	void invalidUtf8AndLoneSurrogatesInStringsShouldBecomeReplacementCharacters() {
		byte[] body = { '"', 'a', (byte) 0xC3, 'b', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"' };

		assertThat(JsonReader.read(body).root()).isEqualTo("a\uFFFDb\uFFFD\uFFFD\uFFFD");
		assertThat(read("\"\\ud800x\\udc00\\ud83d\\ude00\"").root()).isEqualTo("\uFFFDx\uFFFD\ud83d\ude00");
		assertThat(read("\"\\ud800\\u0041\"").root()).isEqualTo("\uFFFDA");
	}

	@Test
	void duplicateKeyShouldKeepTheLastValue() {
		assertThat(read("{\"a\": 1, \"a\": 2}").root()).isEqualTo(Map.of("a", 2.0));
	}

	@Test
	void nestingBeyondTheLimitShouldNotBeJsonInsteadOfOverflowingTheStack() {
		int limit = JsonReader.MAX_DEPTH;

		assertThat(read("[".repeat(limit) + "]".repeat(limit)).valid()).isTrue();
		assertThat(read("[".repeat(limit + 1) + "]".repeat(limit + 1)).valid()).isFalse();
		assertThat(read("[".repeat(1_000_000)).valid()).isFalse();
		assertThat(read("{\"a\":".repeat(100_000)).valid()).isFalse();
	}

	private static ParsedJson read(String text) {
		return JsonReader.read(text.getBytes(StandardCharsets.UTF_8));
	}

}
