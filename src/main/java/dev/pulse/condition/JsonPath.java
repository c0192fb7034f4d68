package dev.pulse.condition;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The path after {@code [BODY]}, such as {@code .data.name}, {@code [0].id} or
 * {@code .items[1].tags[0]}, parsed once and walked as Gatus's {@code jsonpath.Eval}
 * walks it, quirks included: a key on an array yields the whole array, a number or
 * boolean ends the walk whatever follows, and an object at the end of the path is
 * re-encoded as minified JSON.
 *
 * @param segments the dot-separated segments, at least one
 */
record JsonPath(List<Segment> segments) {

	JsonPath {
		segments = List.copyOf(segments);
	}

	/**
	 * Parses the text after {@code [BODY]}, which starts with {@code .} or {@code [}.
	 * @param condition the whole condition, for errors
	 * @param offset where {@code path} starts in {@code condition}
	 */
	static JsonPath parse(String path, String condition, int offset) {
		// Like Gatus, one leading dot goes: [BODY].[0] is [BODY][0]
		int i = (path.startsWith(".")) ? 1 : 0;
		List<Segment> segments = new ArrayList<>();
		while (true) {
			int keyStart = i;
			while (i < path.length() && ".[]".indexOf(path.charAt(i)) < 0) {
				i++;
			}
			String key = path.substring(keyStart, i);
			List<Integer> indices = new ArrayList<>();
			while (i < path.length() && path.charAt(i) == '[') {
				int close = path.indexOf(']', i);
				if (close < 0) {
					throw new ConditionSyntaxException(condition, offset + i, "unclosed [ in JSON path");
				}
				indices.add(index(path.substring(i + 1, close), condition, offset + i + 1));
				i = close + 1;
			}
			if (key.isEmpty() && (indices.isEmpty() || !segments.isEmpty())) {
				String problem = indices.isEmpty() ? "missing key in JSON path" : "missing key before [ in JSON path";
				throw new ConditionSyntaxException(condition, offset + keyStart, problem);
			}
			segments
				.add(new Segment(key.isEmpty() ? null : key, indices.stream().mapToInt(Integer::intValue).toArray()));
			if (i == path.length()) {
				return new JsonPath(segments);
			}
			if (path.charAt(i) != '.') {
				throw new ConditionSyntaxException(condition, offset + i,
						"unexpected " + path.charAt(i) + " in JSON path");
			}
			i++;
		}
	}

	private static int index(String digits, String condition, int offset) {
		if (digits.isEmpty() || !digits.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			throw new ConditionSyntaxException(condition, offset,
					"array index must be a non-negative integer, not '" + digits + "'");
		}
		// An index beyond int never matches, as in Gatus, so saturating is enough
		long value = 0;
		for (int i = 0; i < digits.length() && value <= Integer.MAX_VALUE; i++) {
			value = value * 10 + (digits.charAt(i) - '0');
		}
		return (int) Math.min(value, Integer.MAX_VALUE);
	}

	/**
	 * Walks {@code json}.
	 * @return what the path resolves to, or {@code null} where Gatus reports an error
	 * (which it shows as {@code (INVALID)})
	 */
	@Nullable Walked walk(ParsedJson json) {
		if (!json.valid()) {
			return null;
		}
		Object current = json.root();
		for (int i = 0; i < this.segments.size(); i++) {
			boolean last = i == this.segments.size() - 1;
			Object value = this.segments.get(i).extract(current);
			if (value == Segment.UNREACHABLE || value == null) {
				return null;
			}
			if (value instanceof Map<?, ?> map) {
				if (last) {
					return new Walked(map);
				}
				current = map;
				continue;
			}
			if (value instanceof String string) {
				// A string is the only value Gatus refuses to walk through
				return last ? new Walked(string) : null;
			}
			// An array or a scalar ends the walk, whatever follows
			return new Walked(value);
		}
		return null;
	}

	/**
	 * A resolved path: the value it ends on, printed only when the text is asked for.
	 * {@code len()} of an array and {@code has()} never ask, and printing a tree the Go
	 * way (floats with their shortest digits) costs far more than walking it.
	 */
	static final class Walked {

		/** A map (an object at the end of the path), a list, a string or a scalar. */
		private final Object value;

		private @Nullable String text;

		Walked(Object value) {
			this.value = value;
		}

		/**
		 * How Gatus prints the value: an object re-encoded as minified JSON, anything
		 * else with Go's {@code %v}.
		 */
		String text() {
			String text = this.text;
			if (text == null) {
				text = (this.value instanceof Map) ? GoFormat.json(this.value)
						: (this.value instanceof String string) ? string : GoFormat.v(this.value);
				this.text = text;
			}
			return text;
		}

		/**
		 * What {@code len()} answers: elements of an array, else UTF-8 bytes of the text.
		 */
		int length() {
			return (this.value instanceof List<?> list) ? list.size() : GoStrings.utf8Length(text());
		}

	}

	/**
	 * One segment, such as {@code items[1][0]}.
	 *
	 * @param key the key, or {@code null} for a segment that only indexes, such as
	 * {@code [0]}
	 * @param indices the array indices, in order
	 */
	record Segment(@Nullable String key, int[] indices) {

		/**
		 * What Gatus cannot walk at all (it would panic): indexing a key of a non-object.
		 */
		static final Object UNREACHABLE = new Object();

		/** Gatus's {@code extractValue}. */
		@Nullable Object extract(@Nullable Object value) {
			if (this.indices.length == 0) {
				if (value instanceof List) {
					return value;
				}
				return (value instanceof Map<?, ?> map) ? map.get(this.key) : value;
			}
			Object array = value;
			if (this.key != null) {
				if (value == null) {
					return null;
				}
				if (!(value instanceof Map<?, ?> map)) {
					return UNREACHABLE;
				}
				array = map.get(this.key);
			}
			for (int index : this.indices) {
				if (!(array instanceof List<?> list) || index >= list.size()) {
					return null;
				}
				array = list.get(index);
			}
			return array;
		}

	}

}
