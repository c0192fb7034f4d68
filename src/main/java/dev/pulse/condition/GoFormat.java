package dev.pulse.condition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Renders decoded JSON values the way Gatus shows them: with Go's {@code %v} for arrays
 * and scalars ({@code [1 2]}, {@code [map[id:1] map[id:2]]}, {@code <nil>}) and with
 * {@code encoding/json} for an object at the end of a path (minified, keys sorted,
 * {@code <}, {@code >} and {@code &} escaped).
 */
final class GoFormat {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private GoFormat() {
	}

	/** Go's {@code fmt.Sprintf("%v", value)}. */
	static String v(@Nullable Object value) {
		StringBuilder text = new StringBuilder();
		appendV(text, value);
		return text.toString();
	}

	/** Go's {@code json.Marshal(value)}. */
	static String json(@Nullable Object value) {
		StringBuilder text = new StringBuilder();
		appendJson(text, value);
		return text.toString();
	}

	private static void appendV(StringBuilder text, @Nullable Object value) {
		if (value == null) {
			text.append("<nil>");
		}
		else if (value instanceof Double number) {
			text.append(GoFloats.formatV(number));
		}
		else if (value instanceof List<?> list) {
			text.append('[');
			for (int i = 0; i < list.size(); i++) {
				text.append((i > 0) ? " " : "");
				appendV(text, list.get(i));
			}
			text.append(']');
		}
		else if (value instanceof Map<?, ?> map) {
			text.append("map[");
			List<String> keys = sortedKeys(map);
			for (int i = 0; i < keys.size(); i++) {
				text.append((i > 0) ? " " : "").append(keys.get(i)).append(':');
				appendV(text, map.get(keys.get(i)));
			}
			text.append(']');
		}
		else {
			text.append(value);
		}
	}

	private static void appendJson(StringBuilder text, @Nullable Object value) {
		if (value == null) {
			text.append("null");
		}
		else if (value instanceof Double number) {
			text.append(GoFloats.formatJson(number));
		}
		else if (value instanceof String string) {
			appendQuoted(text, string);
		}
		else if (value instanceof List<?> list) {
			text.append('[');
			for (int i = 0; i < list.size(); i++) {
				text.append((i > 0) ? "," : "");
				appendJson(text, list.get(i));
			}
			text.append(']');
		}
		else if (value instanceof Map<?, ?> map) {
			text.append('{');
			List<String> keys = sortedKeys(map);
			for (int i = 0; i < keys.size(); i++) {
				text.append((i > 0) ? "," : "");
				appendQuoted(text, keys.get(i));
				text.append(':');
				appendJson(text, map.get(keys.get(i)));
			}
			text.append('}');
		}
		else {
			text.append(value);
		}
	}

	private static List<String> sortedKeys(Map<?, ?> map) {
		List<String> keys = new ArrayList<>(map.size());
		map.keySet().forEach((key) -> keys.add((String) key));
		keys.sort(GoStrings::compare);
		return keys;
	}

	/** Go's JSON string escaping, HTML-safe as {@code json.Marshal} does it. */
	private static void appendQuoted(StringBuilder text, String string) {
		text.append('"');
		for (int i = 0; i < string.length(); i++) {
			char c = string.charAt(i);
			switch (c) {
				case '"' -> text.append("\\\"");
				case '\\' -> text.append("\\\\");
				case '\b' -> text.append("\\b");
				case '\f' -> text.append("\\f");
				case '\n' -> text.append("\\n");
				case '\r' -> text.append("\\r");
				case '\t' -> text.append("\\t");
				default -> {
					if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
						text.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF]);
						text.append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
					}
					else {
						text.append(c);
					}
				}
			}
		}
		text.append('"');
	}

}
