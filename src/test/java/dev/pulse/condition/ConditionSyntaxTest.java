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
			[status] == 200          | 0  | unknown placeholder [status]
			[BODY].status == UP      | 0  | unknown placeholder [BODY]
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
