package dev.pulse.condition;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class GoDurationsTest {

	@ParameterizedTest(name = "ParseDuration({0}) = {1}ns")
	@CsvSource(delimiter = '|', textBlock = """
			0               | 0
			-0              | 0
			+0              | 0
			300ms           | 300000000
			1s              | 1000000000
			1.5s            | 1500000000
			.5s             | 500000000
			1.s             | 1000000000
			2m              | 120000000000
			1h              | 3600000000000
			1h30m           | 5400000000000
			1m0.5s          | 60500000000
			-1s             | -1000000000
			500us           | 500000
			500\u00b5s      | 500000
			500\u03bcs      | 500000
			250ns           | 250
			2562047h        | 9223369200000000000
			-2562047h47m16.854775808s | -9223372036854775808
			""")
	void goDurationShouldParseToNanoseconds(String text, long nanos) {
		assertThat(GoDurations.parseNanos(text)).isEqualTo(nanos);
	}

	@ParameterizedTest(name = "ParseDuration({0}) fails")
	@ValueSource(strings = { "", "-", "00", "1", "200", "abc", "ms", "1 s", "s1", "1d", "1sm", "1.5s ", "--1s", ".s",
			"1.5", "1_000ms", "2562048h", "2562047h47m16.854775808s", "0x1s" })
	void textThatIsNotAGoDurationShouldNotParse(String text) {
		assertThat(GoDurations.parseNanos(text)).isNull();
	}

	@ParameterizedTest(name = "{0}ms prints as {1}")
	@CsvSource(delimiter = '|', textBlock = """
			0          | 0s
			999        | 0s
			1000       | 1s
			1500       | 1s
			59000      | 59s
			61000      | 1m1s
			60000      | 1m
			3600000    | 1h
			86400000   | 24h
			1209600000 | 336h
			3661000    | 1h1m1s
			3660000    | 1h1m
			10000      | 1
			1200000    | 2
			5400000    | 1h3
			-86400000  | -24h
			-1500      | -1s
			""")
	void millisecondsShouldPrintAsGatusFormatsDurations(long millis, String expected) {
		// The last ones reproduce Gatus cutting "0s" and "0m" off the text
		assertThat(GoDurations.gatusFormat(millis)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0} is {1}ms")
	@CsvSource(delimiter = '|', textBlock = """
			PT0.0009S   | 0
			PT0.001S    | 1
			PT1.9999S   | 1999
			PT-0.0009S  | 0
			PT-0.0015S  | -1
			PT-1.5S     | -1500
			""")
	void durationShouldTruncateTowardZeroToWholeMilliseconds(Duration duration, long millis) {
		assertThat(GoDurations.millis(duration)).isEqualTo(millis);
	}

}
