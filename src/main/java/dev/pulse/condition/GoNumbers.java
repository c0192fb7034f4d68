package dev.pulse.condition;

import org.jspecify.annotations.Nullable;

/**
 * Numbers as Gatus reads them, with Go's {@code strconv} rules: {@code ==} and {@code !=}
 * compare as integers when both sides parse with {@code ParseInt(s, 0, 64)} (so
 * {@code 0x1F}, {@code 0o17}, {@code 0b101}, {@code 017} and {@code 1_000} are integers,
 * but {@code 200.0} is not), and the orderings read each side as a duration in
 * milliseconds, else an integer, else a float truncated to an integer, else 0.
 */
final class GoNumbers {

	private GoNumbers() {
	}

	/**
	 * Go's {@code strconv.ParseInt(text, 0, 64)}.
	 * @return the value, or {@code null} when Go would return an error
	 */
	static @Nullable Long parseInt(String text) {
		if (text.isEmpty()) {
			return null;
		}
		boolean negative = text.charAt(0) == '-';
		String unsigned = (negative || text.charAt(0) == '+') ? text.substring(1) : text;
		if (unsigned.isEmpty()) {
			return null;
		}
		int base = 10;
		int start = 0;
		if (unsigned.charAt(0) == '0') {
			char prefix = (unsigned.length() >= 3) ? GoStrings.asciiLower(unsigned.charAt(1)) : '0';
			base = switch (prefix) {
				case 'b' -> 2;
				case 'o' -> 8;
				case 'x' -> 16;
				default -> 8;
			};
			start = (prefix == 'b' || prefix == 'o' || prefix == 'x') ? 2 : 1;
		}
		long magnitude = 0;
		boolean underscores = false;
		for (int i = start; i < unsigned.length(); i++) {
			char c = unsigned.charAt(i);
			if (c == '_') {
				underscores = true;
				continue;
			}
			int digit = digit(c);
			if (digit < 0 || digit >= base) {
				return null;
			}
			// Unsigned overflow past 2^64 - 1: Go reports a range error
			if (Long.compareUnsigned(magnitude, Long.divideUnsigned(-1L, base)) > 0) {
				return null;
			}
			long next = magnitude * base + digit;
			if (Long.compareUnsigned(next, magnitude * base) < 0) {
				return null;
			}
			magnitude = next;
		}
		if (underscores && !underscoresAllowed(unsigned)) {
			return null;
		}
		if (negative) {
			return (Long.compareUnsigned(magnitude, Long.MIN_VALUE) > 0) ? null : -magnitude;
		}
		return (magnitude < 0) ? null : magnitude;
	}

	/**
	 * Go's {@code strconv.ParseFloat(text, 64)}: decimal and hexadecimal floats, with
	 * underscores between digits, {@code inf}, {@code infinity} and {@code nan}.
	 * @return the value, or {@code null} when Go would return an error (including a
	 * finite number too large for a double)
	 */
	static @Nullable Double parseFloat(String text) {
		Double special = special(text);
		if (special != null) {
			return special;
		}
		if (!GoFloatSyntax.isValid(text)) {
			return null;
		}
		// Once Go's syntax is checked, Java reads the same decimal and hexadecimal forms
		double value = Double.parseDouble(text.replace("_", ""));
		return Double.isInfinite(value) ? null : value;
	}

	/**
	 * What Gatus compares for {@code <}, {@code <=}, {@code >} and {@code >=}: a non-zero
	 * duration in milliseconds, else an integer, else a float truncated toward zero, else
	 * 0. Go's float-to-integer conversion is platform-specific beyond the long range;
	 * this saturates, as Go does on arm64.
	 */
	static long orderingValue(String text) {
		Long nanos = GoDurations.parseNanos(text);
		if (nanos != null && nanos != 0) {
			return nanos / 1_000_000L;
		}
		Long integer = parseInt(text);
		if (integer != null) {
			return integer;
		}
		Double number = parseFloat(text);
		return (number != null) ? (long) number.doubleValue() : 0;
	}

	private static @Nullable Double special(String text) {
		String s = text;
		double sign = 1;
		boolean signed = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-');
		if (signed) {
			sign = (s.charAt(0) == '-') ? -1 : 1;
			s = s.substring(1);
		}
		if (asciiEqualsIgnoreCase(s, "inf") || asciiEqualsIgnoreCase(s, "infinity")) {
			return sign * Double.POSITIVE_INFINITY;
		}
		return (!signed && asciiEqualsIgnoreCase(s, "nan")) ? Double.NaN : null;
	}

	private static boolean asciiEqualsIgnoreCase(String text, String lowerCase) {
		if (text.length() != lowerCase.length()) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			if (GoStrings.asciiLower(text.charAt(i)) != lowerCase.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	private static int digit(char c) {
		if (c >= '0' && c <= '9') {
			return c - '0';
		}
		char lower = GoStrings.asciiLower(c);
		return (lower >= 'a' && lower <= 'z') ? lower - 'a' + 10 : -1;
	}

	/**
	 * Go's {@code underscoreOK}: an underscore only between digits, or between a base
	 * prefix and a digit.
	 */
	static boolean underscoresAllowed(String text) {
		String s = (!text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == '+')) ? text.substring(1) : text;
		char saw = '^';
		int i = 0;
		boolean hex = false;
		if (s.length() >= 2 && s.charAt(0) == '0' && "bBoOxX".indexOf(s.charAt(1)) >= 0) {
			i = 2;
			saw = '0';
			hex = GoStrings.asciiLower(s.charAt(1)) == 'x';
		}
		for (; i < s.length(); i++) {
			char c = s.charAt(i);
			char lower = GoStrings.asciiLower(c);
			if ((c >= '0' && c <= '9') || (hex && lower >= 'a' && lower <= 'f')) {
				saw = '0';
				continue;
			}
			if (c == '_') {
				if (saw != '0') {
					return false;
				}
				saw = '_';
				continue;
			}
			if (saw == '_') {
				return false;
			}
			saw = '!';
		}
		return saw != '_';
	}

}
