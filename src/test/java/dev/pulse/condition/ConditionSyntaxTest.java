package dev.pulse.condition;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ConditionSyntaxTest {

	@ParameterizedTest(name = "{0} -> {2} at {1}")
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			[STATUS]                 | 8  | missing operator, expected one of ==, !=, <, <=, >, >=
			[STATUS] 200             | 12 | missing operator, expected one of ==, !=, <, <=, >, >=
			[STATUS]==200            | 8  | operator == must be surrounded by spaces
			[STATUS] >=200           | 9  | operator >= must be surrounded by spaces
			[STATUS]< 200            | 8  | operator < must be surrounded by spaces
			[STATUS] = 200           | 9  | unknown operator =
			[STATUS] === 200         | 9  | unknown operator ===
			[STATUS] => 200          | 9  | unknown operator =>
			[STATUS] <> 200          | 9  | unknown operator <>
			== 200                   | 0  | missing left operand
			[STATUS] ==              | 11 | missing right operand
			==                       | 0  | missing left operand
			[STATUS] == 200 == 300   | 16 | unexpected second operator ==
			[STATUS] == 200 < 300    | 16 | unexpected second operator <
			[STATUS] >= == 200       | 12 | unexpected second operator ==
			[STAUS] == 200           | 0  | unknown placeholder [STAUS]
			[FOO] == 200             | 0  | unknown placeholder [FOO]
			[STATUS].code == 200     | 8  | unexpected text after [STATUS]
			200 == [FOO]             | 7  | unknown placeholder [FOO]
			200 ==    [STAUS]        | 10 | unknown placeholder [STAUS]
			[STATUS == 200           | 0  | unterminated placeholder [STATUS
			200 == [RESPONSE_TIME    | 7  | unterminated placeholder [RESPONSE_TIME
			[STATUS]x == 200         | 8  | unexpected text after [STATUS]
			[STATUS] [STATUS] == 200 | 9  | unexpected text after [STATUS]
			""")
	void invalidConditionShouldBeRejectedWithTheProblemAndItsPosition(String condition, int position, String problem) {
		ConditionSyntaxException ex = catchThrowableOfType(ConditionSyntaxException.class,
				() -> Condition.parse(condition));

		assertThat(ex.condition()).isEqualTo(condition);
		assertThat(ex.position()).isEqualTo(position);
		assertThat(ex.problem()).isEqualTo(problem);
		assertThat(ex).hasMessage(problem + " at position " + position + " in '" + condition + "'");
	}

	@ParameterizedTest(name = "{0} -> {2} at {1}")
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					len([BODY].users == 100         | 3  | missing ) to close len(
					[STATUS] == any(200, 201        | 15 | missing ) to close any(
					len([BODY].a) == len(           | 20 | missing ) to close len(
					length([BODY]) == 1             | 0  | unknown function length, expected one of len, has, pat, any
					LEN([BODY]) == 1                | 0  | unknown function LEN, expected one of len, has, pat, any
					[BODY].name == regex(a.*)       | 15 | unknown function regex, expected one of len, has, pat, any
					len(abc) == 3                   | 4  | len() needs a placeholder, such as len([BODY].items)
					has() == true                   | 4  | has() needs a placeholder, such as has([BODY].errors)
					len([STAUS]) == 3               | 4  | unknown placeholder [STAUS]
					len([BODY]) x == 3              | 12 | unexpected text after len([BODY])
					[STATUS] == any(200) x          | 21 | unexpected text after any(200)
					[STATUS] < pat(4*)              | 9  | operator < cannot be used with pat(), only == and !=
					any(1, 2) >= [STATUS]           | 10 | operator >= cannot be used with any(), only == and !=
					pat(a*) == any(a)               | 11 | pat() and any() need a value on the other side, not another pat() or any()
					[BODY] == pat([a-)              | 14 | invalid pattern: unclosed or empty character class
					[BODY] == pat([]a])             | 14 | invalid pattern: unclosed or empty character class
					[BODY] == pat(abc\\)            | 14 | invalid pattern: \\ at the end escapes nothing
					[BODY].items[0 == 1             | 12 | unclosed [ in JSON path
					[BODY].items]0 == 1             | 12 | unexpected ] in JSON path
					[BODY].items[x] == 1            | 13 | array index must be a non-negative integer, not 'x'
					[BODY].items[-1] == 1           | 13 | array index must be a non-negative integer, not '-1'
					[BODY].items[] == 1             | 13 | array index must be a non-negative integer, not ''
					[BODY].a..b == 1                | 9  | missing key in JSON path
					[BODY]. == 1                    | 7  | missing key in JSON path
					[BODY].a.[0] == 1               | 9  | missing key before [ in JSON path
					[BODY]x == 1                    | 6  | unexpected text after [BODY]
					[BODY.name] == 1                | 0  | unknown placeholder [BODY.name]
					[HEADERS] == 1                  | 9  | missing header name after [HEADERS], such as [HEADERS].Content-Type
					[HEADERS]. == 1                 | 10 | missing header name after [HEADERS], such as [HEADERS].Content-Type
					[HEADERS].X Y == 1              | 11 | invalid character in header name
					[DOMAIN_EXPIRATION] > 720h      | 0  | unsupported placeholder [DOMAIN_EXPIRATION]
					[DNS_RCODE] == NOERROR          | 0  | unsupported placeholder [DNS_RCODE]
					""")
	void invalidFunctionPathOrHeaderShouldBeRejectedWithTheProblemAndItsPosition(String condition, int position,
			String problem) {
		ConditionSyntaxException ex = catchThrowableOfType(ConditionSyntaxException.class,
				() -> Condition.parse(condition));

		assertThat(ex).as(condition).isNotNull();
		assertThat(ex.position()).isEqualTo(position);
		assertThat(ex.problem()).isEqualTo(problem);
		assertThat(ex).hasMessage(problem + " at position " + position + " in '" + condition + "'");
	}

	@Test
	void unknownPlaceholderShouldBeReportedWithTheDocumentedMessage() {
		assertThat(catchThrowableOfType(ConditionSyntaxException.class, () -> Condition.parse("[STAUS] == 200")))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("unknown placeholder [STAUS] at position 0 in '[STAUS] == 200'");
	}

	@Test
	void positionShouldCountFromTheTrimmedCondition() {
		ConditionSyntaxException ex = catchThrowableOfType(ConditionSyntaxException.class,
				() -> Condition.parse("   200 == [FOO]  "));

		assertThat(ex).hasMessage("unknown placeholder [FOO] at position 7 in '200 == [FOO]'");
		assertThat(ex.condition()).isEqualTo("200 == [FOO]");
		assertThat(ex.position()).isEqualTo(7);
	}

	@ParameterizedTest(name = "\"{0}\"")
	@ValueSource(strings = { "", " ", "\t\n " })
	void blankConditionShouldBeRejectedAsEmpty(String condition) {
		assertThat(catchThrowableOfType(ConditionSyntaxException.class, () -> Condition.parse(condition)))
			.hasMessage("empty condition at position 0 in ''");
	}

	@Test
	void exceptionShouldFormatItsMessageFromItsParts() {
		ConditionSyntaxException ex = new ConditionSyntaxException("[X] == 1", 0, "unknown placeholder [X]");

		assertThat(ex).hasMessage("unknown placeholder [X] at position 0 in '[X] == 1'");
		assertThat(ex.condition()).isEqualTo("[X] == 1");
		assertThat(ex.position()).isZero();
		assertThat(ex.problem()).isEqualTo("unknown placeholder [X]");
	}

}
