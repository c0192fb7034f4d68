package dev.pulse.condition;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Decodes a response body as Go's {@code json.Unmarshal} into an {@code interface{}}
 * does, since Gatus's JSONPath walks that: objects become maps (the last duplicate key
 * wins), arrays lists, every number a double, {@code null} Java's null. Strict RFC 8259,
 * one value with white space around it; invalid UTF-8 inside strings becomes U+FFFD as in
 * Go. A number too large for a double makes the whole body invalid, as it makes Go's
 * decoding fail. Nesting is capped so that no body can exhaust the stack.
 */
final class JsonReader {

	/** Deeper documents are treated as not JSON (Go's own limit is 10000). */
	static final int MAX_DEPTH = 512;

	private final byte[] in;

	private int pos;

	private JsonReader(byte[] in) {
		this.in = in;
	}

	/** Decodes {@code body}; never throws. */
	static ParsedJson read(byte[] body) {
		JsonReader reader = new JsonReader(body);
		try {
			reader.skipWhitespace();
			Object root = reader.value(0);
			reader.skipWhitespace();
			return (reader.pos == body.length) ? new ParsedJson(true, root) : ParsedJson.NOT_JSON;
		}
		catch (MalformedJsonException | IndexOutOfBoundsException | NumberFormatException ex) {
			return ParsedJson.NOT_JSON;
		}
	}

	private @Nullable Object value(int depth) {
		byte b = peek();
		return switch (b) {
			case '{' -> object(depth + 1);
			case '[' -> array(depth + 1);
			case '"' -> string();
			case 't' -> keyword("true", Boolean.TRUE);
			case 'f' -> keyword("false", Boolean.FALSE);
			case 'n' -> keyword("null", null);
			default -> number();
		};
	}

	private Map<String, @Nullable Object> object(int depth) {
		checkDepth(depth);
		this.pos++;
		Map<String, @Nullable Object> object = new HashMap<>();
		skipWhitespace();
		if (peek() == '}') {
			this.pos++;
			return Collections.unmodifiableMap(object);
		}
		while (true) {
			skipWhitespace();
			if (peek() != '"') {
				throw new MalformedJsonException();
			}
			String key = string();
			skipWhitespace();
			expect(':');
			skipWhitespace();
			object.put(key, value(depth));
			skipWhitespace();
			if (next() == '}') {
				return Collections.unmodifiableMap(object);
			}
			if (this.in[this.pos - 1] != ',') {
				throw new MalformedJsonException();
			}
		}
	}

	private List<@Nullable Object> array(int depth) {
		checkDepth(depth);
		this.pos++;
		List<@Nullable Object> array = new ArrayList<>();
		skipWhitespace();
		if (peek() == ']') {
			this.pos++;
			return Collections.unmodifiableList(array);
		}
		while (true) {
			skipWhitespace();
			array.add(value(depth));
			skipWhitespace();
			if (next() == ']') {
				return Collections.unmodifiableList(array);
			}
			if (this.in[this.pos - 1] != ',') {
				throw new MalformedJsonException();
			}
		}
	}

	private String string() {
		this.pos++;
		StringBuilder text = new StringBuilder();
		while (true) {
			int b = next() & 0xFF;
			if (b == '"') {
				return text.toString();
			}
			if (b < 0x20) {
				throw new MalformedJsonException();
			}
			if (b == '\\') {
				JsonStrings.appendEscape(this, text);
			}
			else if (b < 0x80) {
				text.append((char) b);
			}
			else {
				this.pos = JsonStrings.appendUtf8(this.in, this.pos - 1, text);
			}
		}
	}

	private Double number() {
		int start = this.pos;
		if (peek() == '-') {
			this.pos++;
		}
		if (peek() == '0') {
			this.pos++;
		}
		else {
			digits();
		}
		if (this.pos < this.in.length && this.in[this.pos] == '.') {
			this.pos++;
			digits();
		}
		if (this.pos < this.in.length && (this.in[this.pos] == 'e' || this.in[this.pos] == 'E')) {
			this.pos++;
			if (peek() == '+' || peek() == '-') {
				this.pos++;
			}
			digits();
		}
		double value = Double.parseDouble(new String(this.in, start, this.pos - start, StandardCharsets.US_ASCII));
		if (Double.isInfinite(value)) {
			throw new MalformedJsonException();
		}
		return value;
	}

	private void digits() {
		int start = this.pos;
		while (this.pos < this.in.length && this.in[this.pos] >= '0' && this.in[this.pos] <= '9') {
			this.pos++;
		}
		if (this.pos == start) {
			throw new MalformedJsonException();
		}
	}

	private @Nullable Object keyword(String word, @Nullable Object value) {
		for (int i = 0; i < word.length(); i++) {
			expect(word.charAt(i));
		}
		return value;
	}

	private void checkDepth(int depth) {
		if (depth > MAX_DEPTH) {
			throw new MalformedJsonException();
		}
	}

	private void skipWhitespace() {
		while (this.pos < this.in.length) {
			byte b = this.in[this.pos];
			if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
				return;
			}
			this.pos++;
		}
	}

	private void expect(char c) {
		if (next() != c) {
			throw new MalformedJsonException();
		}
	}

	byte peek() {
		return this.in[this.pos];
	}

	boolean peekIs(char first, char second) {
		return this.pos + 1 < this.in.length && this.in[this.pos] == first && this.in[this.pos + 1] == second;
	}

	int position() {
		return this.pos;
	}

	void skip(int count) {
		this.pos += count;
	}

	void reset(int position) {
		this.pos = position;
	}

	byte next() {
		return this.in[this.pos++];
	}

	/** Thrown inside the reader only: the body is not JSON. */
	static final class MalformedJsonException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		MalformedJsonException() {
			super(null, null, false, false);
		}

	}

}
