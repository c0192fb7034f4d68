package dev.pulse.condition;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class GoFloatsTest {

	@ParameterizedTest(name = "{0} prints as {1} with %v and {2} in JSON")
	@CsvSource(delimiter = '|', textBlock = """
			0                      | 0                       | 0
			-0.0                   | -0                      | -0
			1                      | 1                       | 1
			-42                    | -42                     | -42
			1.5                    | 1.5                     | 1.5
			100000                 | 100000                  | 100000
			999999                 | 999999                  | 999999
			1000000                | 1e+06                   | 1000000
			1234567                | 1.234567e+06            | 1234567
			123456789              | 1.23456789e+08          | 123456789
			608863452348.1149      | 6.088634523481149e+11   | 608863452348.1149
			0.0001                 | 0.0001                  | 0.0001
			0.00001                | 1e-05                   | 0.00001
			0.000001               | 1e-06                   | 0.000001
			0.0000001              | 1e-07                   | 1e-7
			123.40000000000005     | 123.40000000000005      | 123.40000000000005
			0.1                    | 0.1                     | 0.1
			0.3                    | 0.3                     | 0.3
			1e20                   | 1e+20                   | 100000000000000000000
			1e21                   | 1e+21                   | 1e+21
			12345678901234567890   | 1.2345678901234567e+19  | 12345678901234567000
			5e-324                 | 5e-324                  | 5e-324
			1.7976931348623157e308 | 1.7976931348623157e+308 | 1.7976931348623157e+308
			9007199254740993       | 9.007199254740992e+15   | 9007199254740992
			""")
	void floatShouldPrintAsGoPrintsIt(double value, String v, String json) {
		assertThat(GoFloats.formatV(value)).isEqualTo(v);
		assertThat(GoFloats.formatJson(value)).isEqualTo(json);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "2.2250738585072014E-308", "4.9E-324", "1.0E23", "8.41E21", "2.0E-3", "5.0E-10",
			"1.1754943508222875E-38", "9.007199254740991E15", "0.30000000000000004" })
	void shortestDigitsShouldReadBackAsTheSameDouble(double value) {
		GoFloats.Digits digits = GoFloats.shortest(value);
		double readBack = Double.parseDouble("0." + digits.digits() + "e" + digits.pointPosition());

		assertThat(readBack).isEqualTo(value);
		assertThat(digits.digits()).doesNotEndWith("0");
	}

}
