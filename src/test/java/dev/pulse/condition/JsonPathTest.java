package dev.pulse.condition;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gatus's {@code jsonpath_test.go}, plus its quirks.
 */
class JsonPathTest {

	@ParameterizedTest(name = "{0} in {1} is {2} (length {3})")
	@CsvSource(delimiter = '|', quoteCharacter = '`',
			textBlock = """
					.key                  | {"key": "value"}                                      | value          | 5
					.long.simple.walk     | {"long": {"simple": {"walk": "value"}}}               | value          | 5
					.ids[1].id            | {"ids": [{"id": 1}, {"id": 2}]}                       | 2              | 1
					.ids[0]               | {"ids": [1, 2]}                                       | 1              | 1
					[1]                   | [1, 2]                                                | 2              | 1
					[0]                   | [{"id": 1}, {"id": 2}]                                | {"id":1}       | 8
					[0].id                | [{"id": 1}, {"id": 2}]                                | 1              | 1
					.data.ids[0].id       | {"data": {"ids": [{"id": 1}, {"id": 2}]}}             | 1              | 1
					[3][2]                | [[1, 2], [3, 4], [], [5, 6, 7]]                       | 7              | 1
					.data[1][1]           | {"data": [["a", "b", "c"], ["d", "eeeee", "f"]]}      | eeeee          | 5
					.data[0].apps[1].name | {"data": [{"apps": [{"name":"app1"}, {"name":"app2"}]}]} | app2        | 4
					.balance              | {"balance": "123.40000000000005"}                     | 123.40000000000005 | 18
					.balance              | {"balance": 123.40000000000005}                       | 123.40000000000005 | 18
					.ids                  | {"ids": [1, 2]}                                       | [1 2]          | 2
					.ids.anything         | {"ids": [1, 2]}                                       | [1 2]          | 2
					.anything             | [1, 2]                                                | [1 2]          | 2
					.n.anything           | {"n": 1.5}                                            | 1.5            | 3
					.s                    | {"s": "jos\u00e9"}                                    | jos\u00e9      | 5
					.o                    | {"o": {"z": 1, "a": [true, null, "x"]}}               | {"a":[true,null,"x"],"z":1} | 27
					.o                    | {"o": {"k": "\\u2028<>&"}}                             | {"k":"\\u2028\\u003c\\u003e\\u0026"} | 32
					.a                    | {"a": [{"b": {"c": 1}}, [], null]}                    | [map[b:map[c:1]] [] <nil>] | 3
					.dup                  | {"dup": 1, "dup": 2}                                  | 2              | 1
					.e                    | {"e": 1e21}                                           | 1e+21          | 5
					.o                    | {"o": {"e": 1e21, "f": 1e-7, "g": -0}}                | {"e":1e+21,"f":1e-7,"g":-0} | 27
					""")
	void pathShouldResolveAsGatusJsonPathDoes(String path, String json, String text, int length) {
		JsonPath.Walked walked = walk(path, json);

		assertThat(walked).isNotNull();
		assertThat(walked.text()).isEqualTo(text);
		assertThat(walked.length()).isEqualTo(length);
	}

	@ParameterizedTest(name = "{0} in {1} is an error")
	@CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
			.key                  | invalid data
			.key                  | {}
			[5].id                | [{"id": 1}, {"id": 2}]
			.data[0].apps[1].name | {"data": [{"apps": []}]}
			.data.name.invalid    | {"data": {"name": "john"}}
			.data                 | {"data": null}
			.data[0]              | [1, 2]
			.data[0]              | {"data": "text"}
			[0]                   | {"data": [1]}
			.key                  | {"key": 1} x
			.key                  | {"key": 1e400}
			.key                  | ''
			""")
	void pathThatGatusCannotResolveShouldBeAnError(String path, String json) {
		assertThat(walk(path, json)).isNull();
	}

	private static JsonPath.Walked walk(String path, String json) {
		ParsedJson parsed = JsonReader.read(json.getBytes(StandardCharsets.UTF_8));
		return JsonPath.parse(path, "[BODY]" + path, 6).walk(parsed);
	}

}
