package dev.pulse.condition;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class GlobPatternTest {

	@ParameterizedTest(name = "{0} against {1} is {2}")
	@CsvSource(delimiter = '|', textBlock = """
			*                  | livingroom_123 | true
			**                 | livingroom_123 | true
			living*            | livingroom_123 | true
			*living*           | livingroom_123 | true
			*123               | livingroom_123 | true
			*_*                | livingroom_123 | true
			living*_*3         | livingroom_123 | true
			living*room_*3     | livingroom_123 | true
			*vin*om*2*         | livingroom_123 | true
			livingroom_123     | livingroom_123 | true
			*livingroom_123*   | livingroom_123 | true
			*test*             | \\test         | true
			livingroom         | livingroom_123 | false
			livingroom123      | livingroom_123 | false
			what               | livingroom_123 | false
			*what*             | livingroom_123 | false
			*.*                | livingroom_123 | false
			room*123           | livingroom_123 | false
			""")
	void gatusPatternCasesShouldMatchAsInGatus(String pattern, String value, boolean expected) {
		assertThat(GlobPattern.compile(pattern).matches(value)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0} against {1} is {2}")
	@CsvSource(delimiter = '|', emptyValue = "", textBlock = """
			''             | ''         | true
			''             | a          | false
			*              | ''         | true
			a?c            | abc        | true
			a?c            | ac         | false
			?              | \u00e9     | true
			[a-c]x         | bx         | true
			[a-c]x         | dx         | false
			[^a-c]x        | dx         | true
			[^a-c]x        | ax         | false
			[\\]]          | ]          | true
			[*]            | *          | true
			\\*            | *          | true
			\\*            | a          | false
			a*b*c          | aXbYc      | true
			a*b*c          | aXbYcZ     | false
			*c             | abcbc      | true
			10.*           | 10.0.0.1   | true
			/api/*         | /api/v1    | true
			api/v1         | apiv1      | true
			""")
	void globSyntaxShouldFollowGoFilepathMatch(String pattern, String value, boolean expected) {
		// Gatus removes every / from both sides first, so /api/* matches /api/v1
		assertThat(GlobPattern.compile(pattern).matches(value)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "[", "[a", "[a-", "[a-]", "[ab-]", "[]", "[]a]", "[^]", "a\\", "[\\", "x[a-b" })
	void malformedPatternShouldBeRejectedAsGoRejectsIt(String pattern) {
		assertThatIllegalArgumentException().isThrownBy(() -> GlobPattern.compile(pattern));
	}

	@Test
	@Timeout(5)
	void adversarialPatternShouldMatchInPolynomialTime() {
		String value = "a".repeat(100_000);
		GlobPattern pattern = GlobPattern.compile("*a*a*a*a*a*a*a*a*a*a*a*a*b");

		assertThat(pattern.matches(value)).isFalse();
		assertThat(GlobPattern.compile("*" + "a".repeat(50) + "b*").matches(value)).isFalse();
	}

}
