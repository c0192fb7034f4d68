package dev.pulse.condition;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionRobustnessTest {

	@ParameterizedTest(name = "{0} -> {1}, {2}")
	@CsvSource(delimiter = '|', textBlock = """
			[STATUS] == 0   | true  | [STATUS] == 0
			[STATUS] == 200 | false | [STATUS] (0) == 200
			[STATUS] < 1    | true  | [STATUS] < 1
			200 == [STATUS] | false | 200 == [STATUS] (0)
			""")
	void missingStatusShouldResolveToZero(String condition, boolean success, String output) {
		ConditionResult result = Condition.parse(condition).evaluate(TestObservation.withStatus(null));

		assertThat(result).isEqualTo(new ConditionResult(condition, success, output));
	}

	@ParameterizedTest(name = "{0}ns -> {1}ms")
	@CsvSource(delimiter = '|', textBlock = """
			0       | 0
			999999  | 0
			1000000 | 1
			1999999 | 1
			""")
	void responseTimeShouldBeTruncatedToWholeMilliseconds(long nanos, long millis) {
		ConditionResult result = Condition.parse("[RESPONSE_TIME] == -1")
			.evaluate(new TestObservation(200, Duration.ofNanos(nanos)));

		assertThat(result.output()).isEqualTo("[RESPONSE_TIME] (" + millis + ") == -1");
	}

	@Test
	void hugeResponseTimeShouldSaturateAtTheLargestMillisecondCount() {
		// Go cannot hold such a duration; Pulse saturates rather than overflowing
		Observation forever = new TestObservation(200, Duration.ofSeconds(Long.MAX_VALUE, 999_999_999));

		assertThat(Condition.parse("[RESPONSE_TIME] < 1h").evaluate(forever)).isEqualTo(
				new ConditionResult("[RESPONSE_TIME] < 1h", false, "[RESPONSE_TIME] (9223372036854775807) < 1h"));
		assertThat(Condition.parse("[RESPONSE_TIME] >= 9223372036854775807").evaluate(forever).success()).isTrue();
	}

	@Test
	void negativeResponseTimeShouldResolveToNegativeMilliseconds() {
		ConditionResult result = Condition.parse("[RESPONSE_TIME] >= 0")
			.evaluate(new TestObservation(200, Duration.ofMillis(-5)));

		// Go reads 0 as a duration too, so Gatus prints it as one
		assertThat(result)
			.isEqualTo(new ConditionResult("[RESPONSE_TIME] >= 0", false, "[RESPONSE_TIME] (-5) >= 0 (0s)"));
	}

	@Test
	void observationThatThrowsShouldFailEveryOperatorAndShowInvalid() {
		Observation broken = new Observation() {
			@Override
			public Integer status() {
				throw new IllegalStateException("boom");
			}

			@Override
			public Duration responseTime() {
				throw new IllegalStateException("boom");
			}
		};

		List<String> outputs = List.of("==", "!=", "<", "<=", ">", ">=")
			.stream()
			.map((operator) -> Condition.parse("[STATUS] " + operator + " 200").evaluate(broken))
			.map((result) -> result.success() + " " + result.output())
			.collect(Collectors.toList());

		assertThat(outputs).containsExactly("false [STATUS] (INVALID) == 200", "false [STATUS] (INVALID) != 200",
				"false [STATUS] (INVALID) < 200", "false [STATUS] (INVALID) <= 200", "false [STATUS] (INVALID) > 200",
				"false [STATUS] (INVALID) >= 200");
		assertThat(Condition.parse("300 > [RESPONSE_TIME]").evaluate(broken))
			.isEqualTo(new ConditionResult("300 > [RESPONSE_TIME]", false, "300 > [RESPONSE_TIME] (INVALID)"));
	}

	@Test
	void nullResponseTimeShouldFailTheConditionAndShowInvalid() {
		Observation noTime = new TestObservation(200, null);

		assertThat(Condition.parse("[RESPONSE_TIME] < 300").evaluate(noTime))
			.isEqualTo(new ConditionResult("[RESPONSE_TIME] < 300", false, "[RESPONSE_TIME] (INVALID) < 300"));
		assertThat(Condition.parse("[STATUS] == 200").evaluate(noTime).success()).isTrue();
	}

	@Test
	void nullObservationShouldFailPlaceholdersAndStillCompareLiterals() {
		assertThat(Condition.parse("[STATUS] == 200").evaluate(null))
			.isEqualTo(new ConditionResult("[STATUS] == 200", false, "[STATUS] (INVALID) == 200"));
		assertThat(Condition.parse("1 < 2").evaluate(null)).isEqualTo(new ConditionResult("1 < 2", true, "1 < 2"));
	}

	@Test
	void oneParsedConditionShouldEvaluateManyObservationsConcurrently() {
		Condition condition = Condition.parse("[STATUS] < 400");

		List<String> outputs = IntStream.range(0, 10_000)
			.parallel()
			.mapToObj((status) -> condition.evaluate(TestObservation.withStatus(status)).output())
			.collect(Collectors.toList());

		assertThat(outputs).hasSize(10_000);
		for (int status = 0; status < outputs.size(); status++) {
			String expected = (status < 400) ? "[STATUS] < 400" : "[STATUS] (" + status + ") < 400";
			assertThat(outputs.get(status)).isEqualTo(expected);
		}
	}

}
