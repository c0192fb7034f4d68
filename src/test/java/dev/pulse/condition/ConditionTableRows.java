package dev.pulse.condition;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

/**
 * Rows of {@link GatusConditionTableTest} beyond Gatus's own cases: how JSON values
 * print, the functions' corner cases, and what Pulse adds or decides differently.
 */
final class ConditionTableRows {

	private ConditionTableRows() {
	}

	static Stream<Arguments> jsonCases() {
		return Stream.of(row("[BODY].data == x", (r) -> r.body("<html>")).fails("[BODY].data (INVALID) == x"),
				row("[BODY].data.items == x", (r) -> r.body(json("{'data': {'b': [true, null], 'a': 1.50}}")))
					.fails("[BODY].data.items (INVALID) == x"),
				row("[BODY].data == x", (r) -> r.body(json("{'data': {'b': [true, null], 'a': 1.50}}")))
					.fails("[BODY].data ({\"a\":1.5,\"b\":[true,null]}) == x"),
				row("[BODY].data == x", (r) -> r.body(json("{'data': {'html': '<b>&</b>'}}")))
					.fails("[BODY].data ({\"html\":\"\\u003cb\\u003e\\u0026\\u003c/b\\u003e\"}) == x"),
				row("[BODY].items == x", (r) -> r.body(json("{'items': [{'id': 1}, {'id': 2, 'x': null}]}")))
					.fails("[BODY].items ([map[id:1] map[id:2 x:<nil>]]) == x"),
				row("[BODY][0] == x", (r) -> r.body(json("[{'id': 1}]"))).fails("[BODY][0] ({\"id\":1}) == x"),
				row("[BODY].matrix[1][0] == 3", (r) -> r.body(json("{'matrix': [[1, 2], [3, 4]]}"))).passes(),
				row("[BODY][3][2] == 7", (r) -> r.body("[[1, 2], [3, 4], [], [5, 6, 7]]")).passes(),
				row("[BODY].data[1][1] == eeeee", (r) -> r.body(json("{'data': [['a', 'b'], ['d', 'eeeee']]}")))
					.passes(),
				row("[BODY].data[0].apps[1].name == app2",
						(r) -> r.body(json("{'data': [{'apps': [{'name':'app1'}, {'name':'app2'}]}]}")))
					.passes(),
				row("[BODY].data[0].apps[1].name == app2", (r) -> r.body(json("{'data': [{'apps': []}]}")))
					.fails("[BODY].data[0].apps[1].name (INVALID) == app2"),
				row("[BODY].data[5] == x", (r) -> r.body(json("{'data': [1, 2, 3]}")))
					.fails("[BODY].data[5] (INVALID) == x"),
				row("[BODY].count == 1234567", (r) -> r.body(json("{'count': 1234567}")))
					.fails("[BODY].count (1.234567e+06) == 1234567"),
				row("[BODY].count > 1000000", (r) -> r.body(json("{'count': 1234567}"))).passes(),
				row("[BODY].big == x", (r) -> r.body(json("{'big': 12345678901234567890}")))
					.fails("[BODY].big (1.2345678901234567e+19) == x"),
				row("[BODY].tiny == x", (r) -> r.body(json("{'tiny': 0.000001}"))).fails("[BODY].tiny (1e-06) == x"),
				row("[BODY].price == 1.50", (r) -> r.body(json("{'price': 1.50}"))).fails("[BODY].price (1.5) == 1.50"),
				row("[BODY].ratio > 0.5", (r) -> r.body(json("{'ratio': 0.75}"))).fails("[BODY].ratio (0) > 0.5 (0)"),
				row("[BODY].flag == x", (r) -> r.body(json("{'flag': true}"))).fails("[BODY].flag (true) == x"),
				row("[BODY].list == []", (r) -> r.body(json("{'list': []}"))).passes(),
				row("[BODY].ids.first == [1 2]", (r) -> r.body(json("{'ids': [1, 2]}"))).passes(),
				row("[BODY].a.b == 1", (r) -> r.body(json("{'a': 1}"))).passes(),
				row("[BODY].a.b == x", (r) -> r.body(json("{'a': 'text'}"))).fails("[BODY].a.b (INVALID) == x"),
				row("[BODY].name == john", (r) -> r.body("\"john\"")).passes(),
				row("[body].STATUS == UP", (r) -> r.body(json("{'STATUS': 'UP'}"))).passes(),
				row("[BODY] == {\"a\":1}", (r) -> r.body("  {\"a\":1}\n")).passes(),
				row("[BODY].s == a b", (r) -> r.body(json("{'s': 'a b'}"))).passes());
	}

	static Stream<Arguments> functionCases() {
		return Stream.of(row("len([BODY]) == 10", (r) -> r.body("[not json]")).passes(),
				row("len([BODY]) == 8", (r) -> r.body(" [1, 2] ")).passes(),
				row("len([BODY].name) == 5", (r) -> r.body(json("{'name': 'jos\u00e9'}"))).passes(),
				row("len([STATUS]) == 3", (r) -> r.status(200)).passes(),
				row("len([IP]) == 9", (r) -> r.ip("127.0.0.1")).passes(),
				row("has([BODY]) == true", (r) -> r.body(" \n")).fails("has([BODY]) (false) == true"),
				row("has([BODY].data) == true", (r) -> r.body(json("{'data': null}")))
					.fails("has([BODY].data) (false) == true"),
				row("has([BODY].data) == false", (r) -> r.body("not json")).passes(),
				row("[BODY].name == pat(j?hn*)", (r) -> r.body(json("{'name': 'john.doe'}"))).passes(),
				row("[BODY].name == pat([jJ]ohn*)", (r) -> r.body(json("{'name': 'John'}"))).passes(),
				row("[BODY].name == pat([^jJ]ohn*)", (r) -> r.body(json("{'name': 'John'}")))
					.fails("[BODY].name (John) == pat([^jJ]ohn*)"),
				row("[BODY].name == pat(\\*star)", (r) -> r.body(json("{'name': '*star'}"))).passes(),
				row("[BODY].name != pat(bob*)", (r) -> r.body(json("{'name': 'john.doe'}"))).passes(),
				row("[BODY].name != pat(john*)", (r) -> r.body(json("{'name': 'john.doe'}")))
					.fails("[BODY].name (john.doe) != pat(john*)"),
				row("[BODY].path == pat(/api/*)", (r) -> r.body(json("{'path': '/api/v1'}"))).passes(),
				row("[BODY].text == pat(*ab)", (r) -> r.body(json("{'text': 'abcdefghijklmnopqrstuvwxyz0123'}")))
					.fails("[BODY].text (abcdefghijklmnopqrstuvwxy...(truncated)) == pat(*ab)"),
				row("[BODY] == pat(* > *)", (r) -> r.body("2 > 1")).passes(),
				row("[STATUS] == any(200,201, 204)", (r) -> r.status(204)).passes(),
				row("[STATUS] == any(200, 0xC9)", (r) -> r.status(201)).fails("[STATUS] (201) == any(200, 0xC9)"),
				row("[STATUS] != any(500, 503)", (r) -> r.status(200)).passes(),
				row("[BODY].tags == any([a b])", (r) -> r.body(json("{'tags': ['a', 'b']}"))).passes());
	}

	static Stream<Arguments> pulseCases() {
		return Stream.of(
				row("[HEADERS].Content-Type == application/json", (r) -> r.header("content-type", "application/json"))
					.passes(),
				row("[HEADERS].X-Missing == 1", (r) -> r.header("Other", "1"))
					.fails("[HEADERS].X-Missing (INVALID) == 1"),
				row("has([HEADERS].ETag) == true", (r) -> r).fails("has([HEADERS].ETag) (false) == true"),
				row("[CLOCK_SKEW] < 500ms",
						(r) -> r.header("Date", "Mon, 01 Jan 2024 00:00:00 GMT").observedAt("2024-01-01T00:00:00.250Z"))
					.passes(),
				row("[CLOCK_SKEW] < 500ms",
						(r) -> r.header("Date", "Mon, 01 Jan 2024 00:00:03 GMT").observedAt("2024-01-01T00:00:00.750Z"))
					.fails("[CLOCK_SKEW] (2250) < 500ms (0s)"),
				row("[CLOCK_SKEW] < 5s", (r) -> r.header("Date", "yesterday").observedAt("2024-01-01T00:00:00Z"))
					.fails("[CLOCK_SKEW] (INVALID) < 5s"),
				row("[CLOCK_SKEW] < 5s", (r) -> r.observedAt("2024-01-01T00:00:00Z"))
					.fails("[CLOCK_SKEW] (INVALID) < 5s"),
				row("[BODY].missing < 5", (r) -> r.body("{}")).fails("[BODY].missing (INVALID) < 5"),
				row("[BODY].missing != x", (r) -> r.body("{}")).fails("[BODY].missing (INVALID) != x"),
				row("[BODY].a == [BODY].b", (r) -> r.body("{}")).fails("[BODY].a (INVALID) == [BODY].b (INVALID)"),
				row("[BODY] == x", (r) -> r.status(200)).fails("[BODY] (INVALID) == x"),
				row("[IP] == 127.0.0.1", (r) -> r).fails("[IP] (INVALID) == 127.0.0.1"),
				row("[CONNECTED] == false", (r) -> r).fails("[CONNECTED] (INVALID) == false"),
				row("[CERTIFICATE_EXPIRATION] > 48h", (r) -> r).fails("[CERTIFICATE_EXPIRATION] (INVALID) > 48h"),
				row("[CERTIFICATE_EXPIRATION] > 0", (r) -> r.certificateExpiration(Duration.ofHours(-24)))
					.fails("[CERTIFICATE_EXPIRATION] (-24h) > 0 (0s)"),
				row("[RESPONSE_TIME] < 10s", (r) -> r.responseTime(12_000)).fails("[RESPONSE_TIME] (12000) < 10s (1)"),
				row("[RESPONSE_TIME] <= [BODY].limit", (r) -> r.responseTime(1500).body(json("{'limit': '2s'}")))
					.passes(),
				row("[STATUS] == 0", (r) -> r).passes(),
				row("[BODY].n > 0x10", (r) -> r.body(json("{'n': 17}"))).passes(),
				row("[BODY].n < 1_000", (r) -> r.body(json("{'n': 999}"))).passes());
	}

	static Row row(String condition, UnaryOperator<FakeResponse> response) {
		return new Row(condition, response.apply(FakeResponse.response()));
	}

	/** JSON written with single quotes, to keep the table readable. */
	static String json(String singleQuoted) {
		return singleQuoted.replace('\'', '"');
	}

	record Row(String condition, FakeResponse response) {

		Arguments passes() {
			return Arguments.of(this.condition, this.response, true, this.condition);
		}

		Arguments fails(String output) {
			return Arguments.of(this.condition, this.response, false, output);
		}

	}

}
