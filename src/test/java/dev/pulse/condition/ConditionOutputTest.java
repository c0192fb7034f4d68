package dev.pulse.condition;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionOutputTest {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			[STATUS] == 200
			200 == [STATUS]
			[STATUS] < 0x1F4
			[RESPONSE_TIME] < 1s
			[STATUS] != abc
			""")
	void passingConditionShouldOutputTheConditionAsWritten(String condition) {
		ConditionResult result = Condition.parse(condition).evaluate(TestObservation.withStatus(200));

		assertThat(result).isEqualTo(new ConditionResult(condition, true, condition));
	}

	@Test
	void passingConditionShouldOutputTheTrimmedTextWithItsInnerSpacingKept() {
		ConditionResult result = Condition.parse("  [STATUS]   ==   200 \t").evaluate(TestObservation.withStatus(200));

		assertThat(result).isEqualTo(new ConditionResult("[STATUS]   ==   200", true, "[STATUS]   ==   200"));
	}

	@Test
	void statusConditionWhenStatusDiffersShouldPrintResolvedValue() {
		ConditionResult result = Condition.parse("[STATUS] == 200").evaluate(TestObservation.withStatus(500));

		assertThat(result).isEqualTo(new ConditionResult("[STATUS] == 200", false, "[STATUS] (500) == 200"));
	}

	@Test
	void responseTimeConditionWhenTooSlowShouldPrintResolvedMilliseconds() {
		ConditionResult result = Condition.parse("[RESPONSE_TIME] < 300")
			.evaluate(TestObservation.withResponseTime(512));

		assertThat(result)
			.isEqualTo(new ConditionResult("[RESPONSE_TIME] < 300", false, "[RESPONSE_TIME] (512) < 300"));
	}

	@Test
	void literalOnTheLeftWhenStatusDiffersShouldPrintResolvedValueOnTheRight() {
		ConditionResult result = Condition.parse("200 == [STATUS]").evaluate(TestObservation.withStatus(404));

		assertThat(result).isEqualTo(new ConditionResult("200 == [STATUS]", false, "200 == [STATUS] (404)"));
	}

	@ParameterizedTest(name = "{0} -> {1}")
	@CsvSource(delimiter = '|', textBlock = """
			[RESPONSE_TIME] < 1s          | [RESPONSE_TIME] (1500) < 1s
			[RESPONSE_TIME] > 48h         | [RESPONSE_TIME] (1500) > 48h
			[RESPONSE_TIME] <= 300ms      | [RESPONSE_TIME] (1500) <= 300ms (0s)
			[RESPONSE_TIME] > 1.6s        | [RESPONSE_TIME] (1500) > 1.6s (1s)
			[RESPONSE_TIME] > 90m         | [RESPONSE_TIME] (1500) > 90m (1h3)
			[RESPONSE_TIME] > 30s         | [RESPONSE_TIME] (1500) > 30s (3)
			[STATUS] == 0xC9              | [STATUS] (200) == 0xC9
			[STATUS] != 0b11001000        | [STATUS] (200) != 0b11001000
			[STATUS] >= 3e2               | [STATUS] (200) >= 3e2 (300)
			[STATUS] < 0x1F               | [STATUS] (200) < 0x1F (31)
			[STATUS] < potato             | [STATUS] (200) < potato (0)
			[STATUS] > [RESPONSE_TIME]    | [STATUS] (200) > [RESPONSE_TIME] (1500)
			[STATUS] == abc               | [STATUS] (200) == abc
			[STATUS]    <    100          | [STATUS] (200) < 100
			""")
	void failingConditionShouldShowEachSideAsGatusResolvedIt(String condition, String output) {
		// Orderings show the number compared, and a duration literal as Gatus reformats
		// it (whole seconds, a trailing 0s then 0m cut off, even from 30s)
		ConditionResult result = Condition.parse(condition).evaluate(new TestObservation(200, Duration.ofMillis(1500)));

		assertThat(result.success()).isFalse();
		assertThat(result.output()).isEqualTo(output);
	}

	@Test
	void failingConditionShouldReportTheConditionAsWrittenSeparatelyFromItsOutput() {
		ConditionResult result = Condition.parse(" [STATUS]  ==  200 ").evaluate(TestObservation.withStatus(503));

		assertThat(result).isEqualTo(new ConditionResult("[STATUS]  ==  200", false, "[STATUS] (503) == 200"));
	}

}
