package dev.pulse.condition;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionLiteralTest {

	@ParameterizedTest(name = "{0} with {1}ms is {2}")
	@CsvSource(delimiter = '|', textBlock = """
			[RESPONSE_TIME] < 300ms  | 299     | true
			[RESPONSE_TIME] < 300ms  | 300     | false
			[RESPONSE_TIME] < 1s     | 999     | true
			[RESPONSE_TIME] < 1s     | 1000    | false
			[RESPONSE_TIME] <= 1.5s  | 1500    | true
			[RESPONSE_TIME] <= 1.5s  | 1501    | false
			[RESPONSE_TIME] < 2m     | 119999  | true
			[RESPONSE_TIME] < 2m     | 120000  | false
			[RESPONSE_TIME] < 1h     | 3599999 | true
			[RESPONSE_TIME] < 1h     | 3600000 | false
			[RESPONSE_TIME] >= 1h30m | 5400000 | true
			[RESPONSE_TIME] >= 1h30m | 5399999 | false
			[RESPONSE_TIME] > 500us  | 1       | true
			[RESPONSE_TIME] > 500us  | 0       | false
			1s > [RESPONSE_TIME]     | 999     | true
			1s > [RESPONSE_TIME]     | 1000    | false
			""")
	void durationLiteralShouldBeComparedInMillisecondsByOrderings(String condition, long millis, boolean expected) {
		assertThat(Condition.parse(condition).evaluate(TestObservation.withResponseTime(millis)).success())
			.isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0} with status {1} is {2}")
	@CsvSource(delimiter = '|', textBlock = """
			[STATUS] == 0xC8       | 200 | true
			[STATUS] == 0XC8       | 200 | true
			[STATUS] == 0xc9       | 200 | false
			[STATUS] == 0o310      | 200 | true
			[STATUS] == 0O311      | 200 | false
			[STATUS] == 0b11001000 | 200 | true
			[STATUS] == 0B11001001 | 200 | false
			[STATUS] == +200       | 200 | true
			[STATUS] == 2_00       | 200 | true
			[STATUS] == 0x_C8      | 200 | true
			[STATUS] == 0200       | 128 | true
			[STATUS] == 0200       | 200 | false
			[STATUS] > -1          | 0   | true
			[STATUS] > -0x1        | 0   | true
			-1 < [STATUS]          | 0   | true
			[STATUS] > 199.9       | 200 | true
			[STATUS] >= 3e2        | 300 | true
			[STATUS] < 0x1p9       | 200 | true
			""")
	void integerLiteralShouldBeReadWithGoSyntax(String condition, int status, boolean expected) {
		assertThat(Condition.parse(condition).evaluate(TestObservation.withStatus(status)).success())
			.isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0} with status {1} is {2}")
	@CsvSource(delimiter = '|', textBlock = """
			[STATUS] == 200.0      | 200 | false
			[STATUS] == 2e2        | 200 | false
			[STATUS] != 200.0      | 200 | true
			[STATUS] < 200.5       | 200 | false
			[STATUS] <= 200.9      | 200 | true
			[STATUS] > -0.9        | 0   | false
			[RESPONSE_TIME] == 1s  | 200 | false
			""")
	void floatOrDurationShouldBeTextForEqualityAndTruncatedForOrderings(String condition, int status,
			boolean expected) {
		// As in Gatus: == only reads integers, and orderings truncate floats toward zero;
		// withStatus observes a response time of 100ms
		assertThat(Condition.parse(condition).evaluate(TestObservation.withStatus(status)).success())
			.isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0} is {1}")
	@CsvSource(delimiter = '|', textBlock = """
			[STATUS] == abc           | false
			[STATUS] != abc           | true
			[STATUS] < abc            | false
			[STATUS] <= abc           | false
			[STATUS] > abc            | true
			[STATUS] >= abc           | true
			abc == abc                | true
			abc != abc                | false
			abc != abd                | true
			abc < abd                 | false
			abc <= abd                | true
			[STATUS] == 200 OK        | false
			[STATUS] != 200 OK        | true
			[STATUS] == 0b102         | false
			0b102 == 0b102            | true
			[STATUS] < 1e99999999999  | false
			[STATUS] > 1e99999999999  | true
			""")
	void nonNumericSideShouldCompareAsTextForEqualityAndAsZeroForOrderings(String condition, boolean expected) {
		// Gatus reads what is not a number as 0 for <, <=, > and >= (a float too large
		// for a double included)
		assertThat(Condition.parse(condition).evaluate(TestObservation.withStatus(200)).success()).isEqualTo(expected);
	}

}
