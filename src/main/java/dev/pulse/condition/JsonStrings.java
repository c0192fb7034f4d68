package dev.pulse.condition;

/**
 * The string-decoding rules of Go's {@code encoding/json} that {@link JsonReader} needs:
 * escapes, surrogate pairs, and UTF-8 decoding where every invalid byte becomes U+FFFD
 * (Go's {@code utf8.DecodeRune}).
 */
final class JsonStrings {

	private static final char REPLACEMENT = '\uFFFD';

	private JsonStrings() {
	}

	/** Decodes the escape after a backslash. */
	static void appendEscape(JsonReader reader, StringBuilder text) {
		byte b = reader.next();
		switch (b) {
			case '"' -> text.append('"');
			case '\\' -> text.append('\\');
			case '/' -> text.append('/');
			case 'b' -> text.append('\b');
			case 'f' -> text.append('\f');
			case 'n' -> text.append('\n');
			case 'r' -> text.append('\r');
			case 't' -> text.append('\t');
			case 'u' -> appendUnicodeEscape(reader, text);
			default -> throw new JsonReader.MalformedJsonException();
		}
	}

	private static void appendUnicodeEscape(JsonReader reader, StringBuilder text) {
		char c = (char) hex4(reader);
		if (!Character.isSurrogate(c)) {
			text.append(c);
			return;
		}
		// Go pairs a high surrogate with a following low one; anything else becomes
		// U+FFFD and the following escape is read on its own
		if (Character.isHighSurrogate(c) && reader.peekIs('\\', 'u')) {
			int mark = reader.position();
			reader.skip(2);
			char low = (char) hex4(reader);
			if (Character.isLowSurrogate(low)) {
				text.append(c).append(low);
				return;
			}
			reader.reset(mark);
		}
		text.append(REPLACEMENT);
	}

	private static int hex4(JsonReader reader) {
		int value = 0;
		for (int i = 0; i < 4; i++) {
			int digit = Character.digit(reader.next(), 16);
			if (digit < 0) {
				throw new JsonReader.MalformedJsonException();
			}
			value = value * 16 + digit;
		}
		return value;
	}

	/**
	 * Decodes one UTF-8 sequence starting at {@code start} (a byte of at least 0x80) as
	 * Go's {@code utf8.DecodeRune}: a malformed, overlong or surrogate sequence is U+FFFD
	 * for one byte.
	 * @return the position after what was decoded
	 */
	static int appendUtf8(byte[] in, int start, StringBuilder text) {
		int b0 = in[start] & 0xFF;
		int length;
		int low = 0x80;
		int high = 0xBF;
		if (b0 >= 0xC2 && b0 <= 0xDF) {
			length = 2;
		}
		else if (b0 >= 0xE0 && b0 <= 0xEF) {
			length = 3;
			low = (b0 == 0xE0) ? 0xA0 : 0x80;
			high = (b0 == 0xED) ? 0x9F : 0xBF;
		}
		else if (b0 >= 0xF0 && b0 <= 0xF4) {
			length = 4;
			low = (b0 == 0xF0) ? 0x90 : 0x80;
			high = (b0 == 0xF4) ? 0x8F : 0xBF;
		}
		else {
			text.append(REPLACEMENT);
			return start + 1;
		}
		if (start + length > in.length) {
			text.append(REPLACEMENT);
			return start + 1;
		}
		int codePoint = b0 & (0xFF >> (length + 1));
		for (int i = 1; i < length; i++) {
			int b = in[start + i] & 0xFF;
			int min = (i == 1) ? low : 0x80;
			int max = (i == 1) ? high : 0xBF;
			if (b < min || b > max) {
				text.append(REPLACEMENT);
				return start + 1;
			}
			codePoint = (codePoint << 6) | (b & 0x3F);
		}
		text.appendCodePoint(codePoint);
		return start + length;
	}

}
