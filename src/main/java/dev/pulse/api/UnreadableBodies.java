package dev.pulse.api;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Explains why a request body could not be read, every problem at once. Jackson stops at
 * the first; this reads the body again with a handler that notes each unknown field and
 * each value of the wrong type, skips it and reads on, so a client fixes them all in one
 * round. The rules stay Jackson's own (the same mapper, the same coercions), so what is
 * reported is exactly what was refused.
 */
final class UnreadableBodies {

	private static final Object ERRORS = new Object();

	private final JsonMapper mapper;

	UnreadableBodies(JsonMapper mapper) {
		this.mapper = mapper.rebuild().addHandler(new Collector()).build();
	}

	/**
	 * Every problem of a body that failed to read as {@code type}.
	 * @param body the body's bytes, or null when they were not kept
	 * @param type the type the body was read as, or null when unknown
	 * @param failure what the first read threw
	 */
	List<BodyError> explain(byte @Nullable [] body, @Nullable JavaType type, Throwable failure) {
		if (body != null && body.length == 0) {
			return List.of(BodyError.of("", "", "the request body is empty", "a JSON object"));
		}
		StreamReadException syntax = find(failure, StreamReadException.class);
		if (syntax != null || body == null || type == null) {
			return List.of(fromException(failure, syntax));
		}
		List<BodyError> errors = new ArrayList<>();
		try {
			this.mapper.readerFor(type).withAttribute(ERRORS, errors).readValue(body);
		}
		catch (JacksonException ex) {
			// What the handler could not skip (a number too large, say) ends the read.
			errors.add(fromException(ex, find(ex, StreamReadException.class)));
		}
		return errors.isEmpty() ? List.of(fromException(failure, null)) : inDocumentOrder(errors, body);
	}

	/**
	 * Jackson meets a record's unknown fields only after its known ones; a client reads
	 * the list best in the order of its own body.
	 */
	private List<BodyError> inDocumentOrder(List<BodyError> errors, byte[] body) {
		Map<String, Integer> order = new HashMap<>();
		try {
			number(this.mapper.readTree(body), "", order);
		}
		catch (JacksonException ex) {
			return errors;
		}
		List<BodyError> sorted = new ArrayList<>(errors);
		sorted.sort(Comparator.comparingInt(error -> order.getOrDefault(error.pointer(), Integer.MAX_VALUE)));
		return sorted;
	}

	private static void number(JsonNode node, String pointer, Map<String, Integer> order) {
		order.putIfAbsent(pointer, order.size());
		if (node.isObject()) {
			for (Map.Entry<String, JsonNode> entry : node.properties()) {
				number(entry.getValue(), pointer + "/" + escape(entry.getKey()), order);
			}
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				number(node.get(i), pointer + "/" + i, order);
			}
		}
	}

	private static BodyError fromException(Throwable failure, @Nullable StreamReadException syntax) {
		JacksonException jackson = (syntax != null) ? syntax : find(failure, JacksonException.class);
		if (jackson == null) {
			return BodyError.of("", "", "the request body cannot be read", "a JSON object");
		}
		String pointer = pointer(jackson.getPath());
		String message = Objects.requireNonNullElse(jackson.getOriginalMessage(), "the request body cannot be read");
		TokenStreamLocation location = jackson.getLocation();
		if (syntax != null && location != null && location.getLineNr() > 0) {
			return new BodyError(field(pointer), pointer, "malformed JSON: " + firstLine(message), "valid JSON",
					location.getLineNr(), location.getColumnNr(), null);
		}
		return BodyError.of(field(pointer), pointer, firstLine(message), null);
	}

	private static String pointer(List<JacksonException.Reference> path) {
		StringBuilder pointer = new StringBuilder();
		for (JacksonException.Reference reference : path) {
			pointer.append('/');
			pointer.append((reference.getPropertyName() != null) ? escape(reference.getPropertyName())
					: Integer.toString(reference.getIndex()));
		}
		return pointer.toString();
	}

	/** The JSON pointer of the value the parser is at. */
	static String pointer(JsonParser parser) {
		TokenStreamContext context = parser.streamReadContext();
		JsonToken token = parser.currentToken();
		if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
			// The parser has already stepped into the container it is looking at.
			context = context.getParent();
		}
		List<String> segments = new ArrayList<>();
		for (TokenStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
			if (at.inObject() && at.currentName() != null) {
				segments.add(0, escape(at.currentName()));
			}
			else if (at.inArray()) {
				segments.add(0, Integer.toString(Math.max(0, at.getCurrentIndex())));
			}
		}
		return segments.isEmpty() ? "" : "/" + String.join("/", segments);
	}

	/**
	 * {@code /retry/max-attempts} as {@code retry.max-attempts}, {@code /conditions/1} as
	 * {@code conditions[1]}.
	 */
	static String field(String pointer) {
		if (pointer.isEmpty()) {
			return "";
		}
		StringBuilder field = new StringBuilder();
		for (String segment : pointer.substring(1).split("/", -1)) {
			String name = segment.replace("~1", "/").replace("~0", "~");
			if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
				field.append('[').append(name).append(']');
			}
			else {
				field.append((field.length() > 0) ? "." : "").append(name);
			}
		}
		return field.toString();
	}

	private static String escape(String name) {
		return name.replace("~", "~0").replace("/", "~1");
	}

	private static String firstLine(String message) {
		int end = message.indexOf('\n');
		return (end < 0) ? message : message.substring(0, end);
	}

	private static <T extends Throwable> @Nullable T find(@Nullable Throwable failure, Class<T> type) {
		for (Throwable at = failure; at != null; at = (at.getCause() == at) ? null : at.getCause()) {
			if (type.isInstance(at)) {
				return type.cast(at);
			}
		}
		return null;
	}

	/** What a value of a type should look like, in words. */
	static String expected(Class<?> type) {
		if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
			return "an integer";
		}
		if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
			return "a number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (type == String.class || type.isEnum()) {
			return "a string";
		}
		if (Collection.class.isAssignableFrom(type) || type.isArray()) {
			return "a list";
		}
		return "an object";
	}

	private static String describe(JsonToken token) {
		return switch (token) {
			case START_ARRAY -> "a list";
			case START_OBJECT -> "an object";
			case VALUE_STRING -> "a string";
			case VALUE_NUMBER_INT -> "an integer";
			case VALUE_NUMBER_FLOAT -> "a number";
			case VALUE_TRUE, VALUE_FALSE -> "a boolean";
			case VALUE_NULL -> "null";
			default -> token.name().toLowerCase(Locale.ROOT);
		};
	}

	/**
	 * The known field probably meant: the kebab-case spelling of a camelCase one, or else
	 * the closest by edit distance, within two edits.
	 */
	static @Nullable String suggest(String unknown, Collection<String> known) {
		String kebab = unknown.replaceAll("([a-z0-9])([A-Z])", "$1-$2").replace('_', '-').toLowerCase(Locale.ROOT);
		if (known.contains(kebab)) {
			return kebab;
		}
		String best = null;
		int bestDistance = 3;
		for (String candidate : known) {
			int distance = distance(kebab, candidate);
			if (distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		return best;
	}

	private static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	/** Notes each problem and reads on past it. */
	private static final class Collector extends DeserializationProblemHandler {

		@SuppressWarnings("unchecked")
		private static @Nullable List<BodyError> errors(DeserializationContext context) {
			return (List<BodyError>) context.getAttribute(ERRORS);
		}

		@Override
		public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser,
				ValueDeserializer<?> deserializer, Object beanOrClass, String propertyName) {
			List<BodyError> errors = errors(context);
			if (errors == null) {
				return false;
			}
			List<String> known = deserializer.getKnownPropertyNames()
				.stream()
				.map(String::valueOf)
				.sorted()
				.collect(Collectors.toList());
			String suggestion = suggest(propertyName, known);
			String pointer = pointer(parser);
			String message = "unknown field '" + propertyName + "'" + ((suggestion != null)
					? "; did you mean '" + suggestion + "'?" : "; known fields: " + String.join(", ", known));
			errors.add(new BodyError(field(pointer), pointer, message, "one of: " + String.join(", ", known), null,
					null, suggestion));
			parser.skipChildren();
			return true;
		}

		@Override
		public @Nullable Object handleWeirdStringValue(DeserializationContext context, Class<?> targetType,
				String value, String failureMessage) {
			return note(context, targetType, "'" + value + "' is not " + expected(targetType));
		}

		@Override
		public @Nullable Object handleWeirdNumberValue(DeserializationContext context, Class<?> targetType,
				Number value, String failureMessage) {
			return note(context, targetType, value + " is not " + expected(targetType));
		}

		@Override
		public @Nullable Object handleUnexpectedToken(DeserializationContext context, JavaType targetType,
				JsonToken token, JsonParser parser, String failureMessage) {
			if (errors(context) == null || token == null) {
				return NOT_HANDLED;
			}
			Object handled = note(context, targetType.getRawClass(),
					"expected " + expected(targetType.getRawClass()) + ", got " + describe(token));
			parser.skipChildren();
			return handled;
		}

		private static @Nullable Object note(DeserializationContext context, Class<?> targetType, String message) {
			List<BodyError> errors = errors(context);
			if (errors == null || targetType.isPrimitive()) {
				return NOT_HANDLED;
			}
			String pointer = pointer(context.getParser());
			errors.add(BodyError.of(field(pointer), pointer, message, expected(targetType)));
			return null;
		}

	}

}
