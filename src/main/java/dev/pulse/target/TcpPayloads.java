package dev.pulse.target;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bytes a {@code tcp.send} text stands for: UTF-8 text with the escapes {@code \xHH}
 * (any byte, so hex payloads are written {@code \x01\x02}), {@code \n}, {@code \r},
 * {@code \t}, {@code \0} and {@code \\}.
 */
public final class TcpPayloads {

	private TcpPayloads() {
	}

	/**
	 * Decode a text.
	 * @param text the text as configured
	 * @return its bytes
	 * @throws IllegalArgumentException naming the first bad escape
	 */
	public static byte[] decode(String text) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
		StringBuilder plain = new StringBuilder();
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (c != '\\') {
				plain.append(c);
				continue;
			}
			flush(plain, bytes);
			if (i + 1 >= text.length()) {
				throw new IllegalArgumentException("a lone \\ at the end; write \\\\ for a backslash");
			}
			char escape = text.charAt(++i);
			switch (escape) {
				case 'n' -> bytes.write('\n');
				case 'r' -> bytes.write('\r');
				case 't' -> bytes.write('\t');
				case '0' -> bytes.write(0);
				case '\\' -> bytes.write('\\');
				case 'x' -> {
					int high = (i + 1 < text.length()) ? Character.digit(text.charAt(i + 1), 16) : -1;
					int low = (i + 2 < text.length()) ? Character.digit(text.charAt(i + 2), 16) : -1;
					if (high < 0 || low < 0) {
						throw new IllegalArgumentException("\\x at " + (i - 1) + " needs two hex digits");
					}
					bytes.write(high * 16 + low);
					i += 2;
				}
				default -> throw new IllegalArgumentException(
						"unknown escape \\" + escape + " at " + (i - 1) + "; use \\xHH, \\n, \\r, \\t, \\0 or \\\\");
			}
		}
		flush(plain, bytes);
		return bytes.toByteArray();
	}

	private static void flush(StringBuilder plain, ByteArrayOutputStream bytes) {
		if (plain.length() > 0) {
			bytes.writeBytes(plain.toString().getBytes(StandardCharsets.UTF_8));
			plain.setLength(0);
		}
	}

}
