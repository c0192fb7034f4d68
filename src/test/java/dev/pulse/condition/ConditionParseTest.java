package dev.pulse.condition;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionParseTest {

	@Test
	void textShouldBeTheConditionAsWrittenButTrimmed() {
		Condition condition = Condition.parse(" \t[STATUS]  ==  200\n");

		assertThat(condition.text()).isEqualTo("[STATUS]  ==  200");
		assertThat(condition).hasToString("[STATUS]  ==  200");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "[STATUS] == 200", "[RESPONSE_TIME] < 1s", "200 != [STATUS]", "1 < 2" })
	void conditionWithoutBodyPlaceholderShouldNotNeedTheBody(String text) {
		assertThat(Condition.parse(text).needsBody()).isFalse();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "[BODY] == UP", "[BODY].status == UP", "[body][0].id == 1", "len([BODY]) > 0",
			"has([BODY].errors) == false", "[STATUS] == [BODY].status", "[BODY] == pat(*UP*)" })
	void conditionReadingTheBodyShouldNeedIt(String text) {
		assertThat(Condition.parse(text).needsBody()).isTrue();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "[STATUS] == pat(*[BODY]*)", "[HEADERS].Content-Type == x[BODY]",
			"len([HEADERS].ETag) > 0", "[IP] == any([BODY], 1)" })
	void conditionMentioningTheBodyOnlyAsTextShouldNotNeedIt(String text) {
		assertThat(Condition.parse(text).needsBody()).isFalse();
	}

	@ParameterizedTest(name = "{0} with status 200 -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			[STATUS] == any(200, <= 3)   | true
			[STATUS] != pat(* == *)      | true
			any(1 > 0, 200) == [STATUS]  | true
			[STATUS] == pat(2(0)0)       | false
			""")
	void operatorInsideFunctionArgumentsShouldBelongToTheArgument(String text, boolean expected) {
		assertThat(Condition.parse(text).evaluate(TestObservation.withStatus(200)).success()).isEqualTo(expected);
	}

	@Test
	void conditionsParsedFromTheSameTextShouldBeEqual() {
		assertThat(Condition.parse("[STATUS] == 200")).isEqualTo(Condition.parse(" [STATUS] == 200 "))
			.hasSameHashCodeAs(Condition.parse("[STATUS] == 200"))
			.isNotEqualTo(Condition.parse("[STATUS] == 201"));
	}

	@Test
	void tabsShouldSurroundAnOperatorAsWellAsSpaces() {
		Condition condition = Condition.parse("[STATUS]\t==\t200");

		assertThat(condition.evaluate(TestObservation.withStatus(500)).output()).isEqualTo("[STATUS] (500) == 200");
	}

	@ParameterizedTest(name = "{0} with status 200 -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			[STATUS] != a==b    | true
			a<b == a<b          | true
			[STATUS] == 200 OK  | false
			x>=y != x>y         | true
			""")
	void operatorCharactersWithoutSurroundingSpacesShouldBelongToTheOperand(String text, boolean expected) {
		assertThat(Condition.parse(text).evaluate(TestObservation.withStatus(200)).success()).isEqualTo(expected);
	}

	@Test
	void lessThanOrEqualShouldNotBeReadAsLessThan() {
		Condition condition = Condition.parse("[STATUS] <= 200");

		assertThat(condition.evaluate(TestObservation.withStatus(200)).success()).isTrue();
		assertThat(condition.evaluate(TestObservation.withStatus(201)).output()).isEqualTo("[STATUS] (201) <= 200");
	}

}
