package dev.pulse.condition;

import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every placeholder, function, operator and number format, each with the verdict and the
 * exact output Gatus gives. The first part ports the cases of Gatus's own
 * {@code config/endpoint/condition_test.go} and {@code jsonpath_test.go}.
 */
class GatusConditionTableTest {

	private static final String HTML = "<!DOCTYPE html><html lang='en'><head><meta http-equiv='Content-Type' "
			+ "content='text/html; charset=UTF-8' /></head><body><div id='user'>%s</div></body></html>";

	private static final String USER = json("{'user': {'firstName': 'john', 'lastName': 'doe'}}");

	private static final String PATTERN_ON_HTML = "pat(*<div id=\"user\">john.doe</div>*)";

	@ParameterizedTest(name = "[{index}] {0} with {1} -> {3}")
	@MethodSource("table")
	void conditionShouldHoldAndExplainItselfAsInGatus(String condition, FakeResponse response, boolean success,
			String output) {
		assertThat(Condition.parse(condition).evaluate(response))
			.isEqualTo(new ConditionResult(condition, success, output));
	}

	static Stream<Arguments> table() {
		return Stream
			.of(gatusCases(), gatusFunctionCases(), ConditionTableRows.jsonCases(), ConditionTableRows.functionCases(),
					ConditionTableRows.pulseCases())
			.flatMap(UnaryOperator.identity());
	}

	private static Stream<Arguments> gatusCases() {
		return Stream.of(row("[IP] == 127.0.0.1", (r) -> r.ip("127.0.0.1")).passes(),
				row("[STATUS] == 200", (r) -> r.status(200)).passes(),
				row("[STATUS] == 200", (r) -> r.status(500)).fails("[STATUS] (500) == 200"),
				row("[STATUS] < 300", (r) -> r.status(201)).passes(),
				row("[STATUS] < 300", (r) -> r.status(404)).fails("[STATUS] (404) < 300"),
				row("[RESPONSE_TIME] < 500", (r) -> r.responseTime(50)).passes(),
				row("[RESPONSE_TIME] < 1s", (r) -> r.responseTime(50)).passes(),
				row("[RESPONSE_TIME] < potato", (r) -> r.responseTime(50)).fails("[RESPONSE_TIME] (50) < potato (0)"),
				row("[RESPONSE_TIME] > 500", (r) -> r.responseTime(750)).passes(),
				row("[RESPONSE_TIME] > 1s", (r) -> r.responseTime(2000)).passes(),
				row("[RESPONSE_TIME] >= 500", (r) -> r.responseTime(500)).passes(),
				row("[RESPONSE_TIME] >= 500", (r) -> r.responseTime(499)).fails("[RESPONSE_TIME] (499) >= 500"),
				row("[RESPONSE_TIME] <= 500", (r) -> r.responseTime(500)).passes(),
				row("[RESPONSE_TIME] <= 500", (r) -> r.responseTime(25)).passes(),
				row("[RESPONSE_TIME] <= 500", (r) -> r.responseTime(750)).fails("[RESPONSE_TIME] (750) <= 500"),
				row("[BODY] == test", (r) -> r.body("test")).passes(),
				row("[BODY] == 123", (r) -> r.body("123")).passes(), row("[BODY] < 124", (r) -> r.body("123")).passes(),
				row("[BODY] > 122", (r) -> r.body("123")).passes(),
				row("[BODY] > 123", (r) -> r.body("100")).fails("[BODY] (100) > 123"),
				row("[BODY].status == UP", (r) -> r.body(json("{'status':'UP'}"))).passes(),
				row("[BODY].data.name == john", (r) -> r.body(json("{'data': {'id': 1, 'name': 'john'}}"))).passes(),
				row("[BODY].data.name == john", (r) -> r.body(json("{'data': {'id': 1}}")))
					.fails("[BODY].data.name (INVALID) == john"),
				row("len([BODY].data.name) == john", (r) -> r.body(json("{'data': {'id': 1}}")))
					.fails("len([BODY].data.name) (INVALID) == john"),
				row("[BODY].user.firstName != [BODY].user.lastName", (r) -> r.body(USER)).passes(),
				row("[BODY].user.firstName == [BODY].user.lastName", (r) -> r.body(USER))
					.fails("[BODY].user.firstName (john) == [BODY].user.lastName (doe)"),
				row("[BODY][0].id == 1", (r) -> r.body(json("[{'id': 1}, {'id': 2}]"))).passes(),
				row("[BODY].data == OK", (r) -> r.body(json("{'data': null}'"))).fails("[BODY].data (INVALID) == OK"),
				row("[BODY].items[0] == OK", (r) -> r.body(json("{'items': [null, null]}'")))
					.fails("[BODY].items[0] (INVALID) == OK"),
				row("[BODY].data == OK", (r) -> r.body("null")).fails("[BODY].data (INVALID) == OK"),
				row("[BODY][0].name == test", (r) -> r.body(json("{'statusCode': 500, 'message': 'Error'}")))
					.fails("[BODY][0].name (INVALID) == test"),
				row("[BODY].data.id == 1", (r) -> r.body(json("{'data': {'id': 1}}"))).passes(),
				row("[BODY].data[1].id == 2", (r) -> r.body(json("{'data': [{'id': 1}, {'id': 2}, {'id': 3}]}")))
					.passes(),
				row("[BODY].data.id > 0", (r) -> r.body(json("{'data': {'id': 1}}"))).passes(),
				row("[BODY].data > 0", (r) -> r.body(json("{'data': '0x1'}"))).passes(),
				row("[BODY].data == 1", (r) -> r.body(json("{'data': '0x1'}"))).passes(),
				row("[BODY].data == 0x1", (r) -> r.body(json("{'data': '0x1'}"))).passes(),
				row("[BODY].data == 12648243", (r) -> r.body(json("{'data': '0xC0ff33'}"))).passes(),
				row("len([BODY].data) == 3", (r) -> r.body(json("{'data': '0x1'}"))).passes(),
				row("[BODY].data >= 1", (r) -> r.body(json("{'data': '0x01'}"))).passes(),
				row("[BODY].data == 2", (r) -> r.body(json("{'data': '0o2'}"))).passes(),
				row("[BODY].data == 0b10", (r) -> r.body(json("{'data': '0b0010'}"))).passes(),
				row("[BODY].data.id > 5", (r) -> r.body(json("{'data': {'id': 1}}"))).fails("[BODY].data.id (1) > 5"),
				row("[BODY].balance > 100", (r) -> r.body(json("{'balance': '123.40000000000005'}"))).passes(),
				row("[BODY].data.id < 5", (r) -> r.body(json("{'data': {'id': 10}}"))).fails("[BODY].data.id (10) < 5"),
				row("[CONNECTED] == true", (r) -> r.connected(true)).passes(),
				row("[CONNECTED] == true", (r) -> r.connected(false)).fails("[CONNECTED] (false) == true"),
				row("[CERTIFICATE_EXPIRATION] == 0", (r) -> r.certificateExpiration(Duration.ZERO)).passes(),
				row("[CERTIFICATE_EXPIRATION] > 2419200000", (r) -> r.certificateExpiration(Duration.ofDays(60)))
					.passes(),
				row("[CERTIFICATE_EXPIRATION] > 2419200000", (r) -> r.certificateExpiration(Duration.ofDays(14)))
					.fails("[CERTIFICATE_EXPIRATION] (336h) > 2419200000"),
				row("[CERTIFICATE_EXPIRATION] > 12h", (r) -> r.certificateExpiration(Duration.ofHours(24))).passes(),
				row("[CERTIFICATE_EXPIRATION] > 48h", (r) -> r.certificateExpiration(Duration.ofHours(24)))
					.fails("[CERTIFICATE_EXPIRATION] (24h) > 48h"),
				row("1 == 2", (r) -> r).fails("1 == 2"));
	}

	private static Stream<Arguments> gatusFunctionCases() {
		String john = json("{'name': 'john.doe'}");
		return Stream.of(row("len([BODY].data.name) == 4", (r) -> r.body(json("{'data': {'name': 'john'}}"))).passes(),
				row("len([BODY]) == 3", (r) -> r.body(json("[{'id': 1}, {'id': 2}, {'id': 3}]"))).passes(),
				row("len([BODY].data) == 3", (r) -> r.body(json("{'data': [{'id': 1}, {'id': 2}, {'id': 3}]}")))
					.passes(),
				row("len([BODY].data) == 8", (r) -> r.body(john)).fails("len([BODY].data) (INVALID) == 8"),
				row("len([BODY]) == 8", (r) -> r.body("john.doe")).passes(),
				row("len([BODY].name) == 8", (r) -> r.body(john)).passes(),
				row("len([BODY].age) == 2", (r) -> r.body(json("{'age':18}"))).passes(),
				row("len([BODY].adult) == 4", (r) -> r.body(json("{'adult':true}"))).passes(),
				row("len([BODY][0]) == 23", (r) -> r.body(json("[{'age':18,'adult':true}]"))).passes(),
				row("len([BODY][0].age) == 2", (r) -> r.body(json("[{'age':18,'adult':true}]"))).passes(),
				row("len([BODY][0].adult) == 4", (r) -> r.body(json("[{'age':18,'adult':true}]"))).passes(),
				row("len([BODY]) == 20", (r) -> r.body(john)).passes(),
				row("[BODY] == pat(*john*)", (r) -> r.body(john)).passes(),
				row("[BODY].name == pat(john*)", (r) -> r.body(john)).passes(),
				row("[BODY].name == pat(bob*)", (r) -> r.body(john)).fails("[BODY].name (john.doe) == pat(bob*)"),
				row("[BODY] == " + PATTERN_ON_HTML, (r) -> r.body(html("john.doe"))).passes(),
				row("[BODY] == " + PATTERN_ON_HTML, (r) -> r.body(html("jane.doe")))
					.fails("[BODY] (<!DOCTYPE html><html lang...(truncated)) == " + PATTERN_ON_HTML),
				row(PATTERN_ON_HTML + " == [BODY]", (r) -> r.body(html("jane.doe")))
					.fails(PATTERN_ON_HTML + " == [BODY] (<!DOCTYPE html><html lang...(truncated))"),
				row("[BODY].data == pat(*Whatever*)", (r) -> r.body(json("{'data': ['hello', 'world', 'Whatever']}")))
					.passes(),
				row("[IP] == pat(10.*)", (r) -> r.ip("10.0.0.0")).passes(),
				row("[IP] == pat(10.*)", (r) -> r.ip("255.255.255.255")).fails("[IP] (255.255.255.255) == pat(10.*)"),
				row("[STATUS] == pat(4*)", (r) -> r.status(404)).passes(),
				row("[STATUS] == pat(4*)", (r) -> r.status(200)).fails("[STATUS] (200) == pat(4*)"),
				row("[BODY].name == any(john.doe, jane.doe)", (r) -> r.body(john)).passes(),
				row("[BODY].name == any(john.doe, jane.doe)", (r) -> r.body(json("{'name': 'jane.doe'}"))).passes(),
				row("[BODY].name == any(john.doe, jane.doe)", (r) -> r.body(json("{'name': 'bob'}")))
					.fails("[BODY].name (bob) == any(john.doe, jane.doe)"),
				row("[STATUS] == any(200, 429)", (r) -> r.status(200)).passes(),
				row("[STATUS] == any(200, 429)", (r) -> r.status(429)).passes(),
				row("any(200, 429) == [STATUS]", (r) -> r.status(429)).passes(),
				row("[STATUS] == any(200, 429)", (r) -> r.status(404)).fails("[STATUS] (404) == any(200, 429)"),
				row("has([BODY].errors) == false", (r) -> r.body("{}")).passes(),
				row("has([BODY].article) == true",
						(r) -> r
							.body(json("{\n  'article': {\n    'id': 123,\n    'tags': ['hello', 'world']\n  }\n}")))
					.passes(),
				row("has([BODY].errors) == false", (r) -> r.body(json("{'errors': ['1']}")))
					.fails("has([BODY].errors) (true) == false"));
	}

	private static ConditionTableRows.Row row(String condition, UnaryOperator<FakeResponse> response) {
		return ConditionTableRows.row(condition, response);
	}

	private static String json(String singleQuoted) {
		return ConditionTableRows.json(singleQuoted);
	}

	private static String html(String user) {
		return json(HTML.formatted(user));
	}

}
