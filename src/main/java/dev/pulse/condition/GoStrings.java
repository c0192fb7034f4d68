package dev.pulse.condition;

/**
 * The few string rules of Go that Gatus's output depends on: Go measures strings in UTF-8
 * bytes, trims Unicode white space and sorts map keys byte-wise.
 */
final class GoStrings {

	private GoStrings() {
	}

	/**
	 * Go's {@code unicode.IsSpace}: ASCII white space, NEL, NBSP and the Unicode space,
	 * line and paragraph separators.
	 */
	static boolean isSpace(int codePoint) {
		if (codePoint == ' ' || (codePoint >= '\t' && codePoint <= '\r') || codePoint == 0x85 || codePoint == 0xA0) {
			return true;
		}
		if (codePoint < 0x100) {
			return false;
		}
		int type = Character.getType(codePoint);
		return type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
				|| type == Character.PARAGRAPH_SEPARATOR;
	}

	/**
	 * Go's {@code lower(c)} of {@code strconv}: ASCII only, so that no other character
	 * ever reads as a letter digit ({@code Character.toLowerCase} maps the Kelvin sign to
	 * {@code k}).
	 */
	static char asciiLower(char c) {
		return (c >= 'A' && c <= 'Z') ? (char) (c + ('a' - 'A')) : c;
	}

	/** Go's {@code strings.TrimSpace}. */
	static String trimSpace(String text) {
		int start = 0;
		int end = text.length();
		while (start < end && isSpace(text.codePointAt(start))) {
			start += Character.charCount(text.codePointAt(start));
		}
		while (end > start && isSpace(text.codePointBefore(end))) {
			end -= Character.charCount(text.codePointBefore(end));
		}
		return text.substring(start, end);
	}

	/** Go's {@code len(s)}: the length in UTF-8 bytes. */
	static int utf8Length(String text) {
		int length = 0;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c < 0x80) {
				length += 1;
			}
			else if (c < 0x800) {
				length += 2;
			}
			else if (Character.isHighSurrogate(c) && i + 1 < text.length()
					&& Character.isLowSurrogate(text.charAt(i + 1))) {
				length += 4;
				i++;
			}
			else {
				// A lone surrogate becomes U+FFFD in UTF-8, three bytes like any other
				// BMP character
				length += 3;
			}
		}
		return length;
	}

	/** Go's {@code fmt.Sprintf("%.Ns", s)}: at most {@code runes} code points. */
	static String firstRunes(String text, int runes) {
		if (text.codePointCount(0, text.length()) <= runes) {
			return text;
		}
		return text.substring(0, text.offsetByCodePoints(0, runes));
	}

	/**
	 * Compares as Go compares strings, byte-wise in UTF-8, which is code point order (not
	 * Java's UTF-16 order).
	 */
	static int compare(String left, String right) {
		int i = 0;
		int j = 0;
		while (i < left.length() && j < right.length()) {
			int a = left.codePointAt(i);
			int b = right.codePointAt(j);
			if (a != b) {
				return Integer.compare(a, b);
			}
			i += Character.charCount(a);
			j += Character.charCount(b);
		}
		return Integer.compare(left.length() - i, right.length() - j);
	}

}
