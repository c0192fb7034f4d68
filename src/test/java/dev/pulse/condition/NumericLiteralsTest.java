package dev.pulse.condition;

import java.math.BigDecimal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class NumericLiteralsTest {

	@ParameterizedTest(name = "{0} = {1}")
	@CsvSource(delimiter = '|', textBlock = """
			200          | 200
			-42          | -42
			+7           | 7
			0200         | 200
			1.5          | 1.5
			.5           | 0.5
			1.           | 1
			2e3          | 2000
			1.5E-1       | 0.15
			0x1F         | 31
			0X1f         | 31
			-0x10        | -16
			0o17         | 15
			0O17         | 15
			0b101        | 5
			0B101        | 5
			300ms        | 300
			1s           | 1000
			1.5s         | 1500
			.5s          | 500
			2m           | 120000
			1h           | 3600000
			1h30m        | 5400000
			1m0.5s       | 60500
			-1s          | -1000
			500us        | 0.5
			500µs        | 0.5
			250000ns     | 0.25
			0s           | 0
			""")
	void numberOrDurationShouldBeReadInMilliseconds(String text, BigDecimal expected) {
		assertThat(NumericLiterals.parse(text)).isEqualByComparingTo(expected);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "", "abc", "UP", "0x", "0xG1", "0o8", "0b102", "1.5.5", "1e", "1e99999999999", "ms", "1 s",
			"s1", "1d", "1sm", "1.5s ", "--1", "0x1.5", "NaN", "Infinity" })
	void textThatIsNotANumberShouldReadAsNull(String text) {
		assertThat(NumericLiterals.parse(text)).isNull();
	}

}
