package dev.pulse.condition;

/**
 * The syntax Go's {@code strconv.ParseFloat} accepts for a finite number (its
 * {@code readFloat}): an optional sign, decimal digits with an optional point and
 * {@code e} exponent, or {@code 0x} hexadecimal digits with an optional point and a
 * mandatory {@code p} exponent, with underscores allowed between digits.
 */
final class GoFloatSyntax {

	private GoFloatSyntax() {
	}

	static boolean isValid(String s) {
		int i = 0;
		if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
			i++;
		}
		boolean hex = i + 2 < s.length() && s.charAt(i) == '0' && GoStrings.asciiLower(s.charAt(i + 1)) == 'x';
		if (hex) {
			i += 2;
		}
		boolean sawDot = false;
		boolean sawDigits = false;
		for (; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == '_') {
				continue;
			}
			if (c == '.') {
				if (sawDot) {
					break;
				}
				sawDot = true;
				continue;
			}
			if (isDigit(c) || (hex && isHexLetter(c))) {
				sawDigits = true;
				continue;
			}
			break;
		}
		if (!sawDigits) {
			return false;
		}
		char exponent = hex ? 'p' : 'e';
		if (i < s.length() && GoStrings.asciiLower(s.charAt(i)) == exponent) {
			i++;
			if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
				i++;
			}
			if (i >= s.length() || !isDigit(s.charAt(i))) {
				return false;
			}
			while (i < s.length() && (isDigit(s.charAt(i)) || s.charAt(i) == '_')) {
				i++;
			}
		}
		else if (hex) {
			return false;
		}
		return i == s.length() && (s.indexOf('_') < 0 || GoNumbers.underscoresAllowed(s));
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static boolean isHexLetter(char c) {
		char lower = GoStrings.asciiLower(c);
		return lower >= 'a' && lower <= 'f';
	}

}
