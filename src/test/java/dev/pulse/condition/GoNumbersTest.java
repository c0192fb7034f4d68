package dev.pulse.condition;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class GoNumbersTest {

	@ParameterizedTest(name = "ParseInt({0}) = {1}")
	@CsvSource(delimiter = '|', textBlock = """
			200                  | 200
			-42                  | -42
			+7                   | 7
			0                    | 0
			0200                 | 128
			0x1F                 | 31
			0X1f                 | 31
			-0x10                | -16
			0o17                 | 15
			0O17                 | 15
			0b101                | 5
			0B101                | 5
			1_000                | 1000
			0x_1F                | 31
			0_7                  | 7
			9223372036854775807  | 9223372036854775807
			-9223372036854775808 | -9223372036854775808
			""")
	void integerInGoSyntaxShouldParse(String text, long expected) {
		assertThat(GoNumbers.parseInt(text)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "ParseInt({0}) fails")
	@ValueSource(strings = { "", "-", "+", "abc", "0x", "0b", "0xG1", "0o8", "0b102", "08", "1.5", "2e2", "200.0", "1_",
			"_1", "1__0", "0x__1", "--1", "+-1", " 1", "1 ", "9223372036854775808", "-9223372036854775809",
			"99999999999999999999", "\u0661", "0x\u212a", "1\u212a" })
	void textThatIsNotAGoIntegerShouldNotParse(String text) {
		assertThat(GoNumbers.parseInt(text)).isNull();
	}

	@ParameterizedTest(name = "ParseFloat({0}) = {1}")
	@CsvSource(delimiter = '|', textBlock = """
			1.5          | 1.5
			.5           | 0.5
			1.           | 1
			-2.5e3       | -2500
			1E-1         | 0.1
			1_000.5      | 1000.5
			0x1p4        | 16
			0x1.8P1      | 3
			0x.8p1       | 1
			1e-400       | 0
			""")
	void floatInGoSyntaxShouldParse(String text, double expected) {
		assertThat(GoNumbers.parseFloat(text)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "ParseFloat({0}) fails")
	@ValueSource(strings = { "", ".", "e1", "1e", "1e+", "0x1", "0x1.8", "1.5.5", "1_.5", "1._5", "1e400", "-1e400",
			"1.5d", "1.5f", " 1.5", "NaN1", "+nan", "infin", "Infinityy", "\u0131nf", "0x", "1,5", "1\u212a1" })
	void textThatIsNotAGoFloatShouldNotParse(String text) {
		assertThat(GoNumbers.parseFloat(text)).isNull();
	}

	@ParameterizedTest(name = "ParseFloat({0}) is special")
	@ValueSource(strings = { "inf", "+Inf", "-INF", "infinity", "-Infinity", "nan", "NaN" })
	void infinityAndNanShouldParseAsGoDoes(String text) {
		Double value = GoNumbers.parseFloat(text);

		assertThat(value).isNotNull();
		assertThat(value.isInfinite() || value.isNaN()).isTrue();
	}

	@ParameterizedTest(name = "{0} orders as {1}")
	@CsvSource(delimiter = '|', textBlock = """
			300ms        | 300
			1s           | 1000
			1.5s         | 1500
			1h30m        | 5400000
			-1s          | -1000
			500us        | 0
			1500us       | 1
			0            | 0
			0s           | 0
			200          | 200
			0x1F         | 31
			0200         | 128
			123.9        | 123
			-123.9       | -123
			3e2          | 300
			potato       | 0
			1e400        | 0
			inf          | 9223372036854775807
			-inf         | -9223372036854775808
			nan          | 0
			1.234567e+06 | 1234567
			""")
	void orderingShouldReadDurationsThenIntegersThenFloatsThenZero(String text, long expected) {
		assertThat(GoNumbers.orderingValue(text)).isEqualTo(expected);
	}

}
