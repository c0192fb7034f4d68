package dev.pulse.condition;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionOperatorTest {

	@ParameterizedTest(name = "{0} with status {1} is {2}")
	@CsvSource(delimiter = '|', textBlock = """
			[STATUS] == 200 | 200 | true
			[STATUS] == 200 | 500 | false
			[STATUS] != 200 | 500 | true
			[STATUS] != 200 | 200 | false
			[STATUS] < 300  | 299 | true
			[STATUS] < 300  | 300 | false
			[STATUS] <= 300 | 300 | true
			[STATUS] <= 300 | 301 | false
			[STATUS] > 199  | 200 | true
			[STATUS] > 199  | 199 | false
			[STATUS] >= 200 | 200 | true
			[STATUS] >= 200 | 199 | false
			""")
	void statusConditionShouldHoldExactlyWhenItsComparisonDoes(String condition, int status, boolean expected) {
		assertThat(Condition.parse(condition).evaluate(TestObservation.withStatus(status)).success())
			.isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0} with status {1} is {2}")
	@CsvSource(delimiter = '|', textBlock = """
			200 == [STATUS] | 200 | true
			200 == [STATUS] | 404 | false
			200 != [STATUS] | 404 | true
			200 != [STATUS] | 200 | false
			300 < [STATUS]  | 301 | true
			300 < [STATUS]  | 300 | false
			300 <= [STATUS] | 300 | true
			300 <= [STATUS] | 299 | false
			300 > [STATUS]  | 299 | true
			300 > [STATUS]  | 300 | false
			300 >= [STATUS] | 300 | true
			300 >= [STATUS] | 301 | false
			""")
	void literalOnTheLeftShouldCompareInTheOrderWritten(String condition, int status, boolean expected) {
		assertThat(Condition.parse(condition).evaluate(TestObservation.withStatus(status)).success())
			.isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0} with {1}ms is {2}")
	@CsvSource(delimiter = '|', textBlock = """
			[RESPONSE_TIME] == 250 | 250 | true
			[RESPONSE_TIME] == 250 | 251 | false
			[RESPONSE_TIME] != 250 | 251 | true
			[RESPONSE_TIME] != 250 | 250 | false
			[RESPONSE_TIME] < 300  | 299 | true
			[RESPONSE_TIME] < 300  | 300 | false
			[RESPONSE_TIME] <= 300 | 300 | true
			[RESPONSE_TIME] <= 300 | 301 | false
			[RESPONSE_TIME] > 300  | 301 | true
			[RESPONSE_TIME] > 300  | 300 | false
			[RESPONSE_TIME] >= 300 | 300 | true
			[RESPONSE_TIME] >= 300 | 299 | false
			""")
	void responseTimeConditionShouldCompareWholeMilliseconds(String condition, long millis, boolean expected) {
		assertThat(Condition.parse(condition).evaluate(TestObservation.withResponseTime(millis)).success())
			.isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0} with status {1} is {2}")
	@CsvSource(delimiter = '|', textBlock = """
			[STATUS] == [STATUS]        | 200 | true
			[STATUS] != [STATUS]        | 200 | false
			[STATUS] < [RESPONSE_TIME]  | 99  | true
			[STATUS] < [RESPONSE_TIME]  | 100 | false
			[RESPONSE_TIME] >= [STATUS] | 100 | true
			[RESPONSE_TIME] >= [STATUS] | 101 | false
			""")
	void placeholdersOnBothSidesShouldBothBeResolved(String condition, int status, boolean expected) {
		// withStatus observes a response time of 100ms
		assertThat(Condition.parse(condition).evaluate(TestObservation.withStatus(status)).success())
			.isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0} is {1}")
	@CsvSource(delimiter = '|', textBlock = """
			200 == 200 | true
			200 == 201 | false
			1 < 2      | true
			2 < 1      | false
			""")
	void literalsOnBothSidesShouldCompareWithoutAnObservation(String condition, boolean expected) {
		assertThat(Condition.parse(condition).evaluate(TestObservation.withStatus(null)).success()).isEqualTo(expected);
	}

}
