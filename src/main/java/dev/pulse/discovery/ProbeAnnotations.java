package dev.pulse.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.format.datetime.standard.DurationFormatterUtils;

/**
 * Reads the {@code pulse.dev/*} annotations of a Service into a {@link ProbeTemplate}.
 * Every problem is collected, so one warning names them all; the rules that span keys
 * (timeout within the interval, condition syntax) are the resolver's, checked after.
 */
final class ProbeAnnotations {

	/**
	 * The kinds of probe a Service can ask for; the path is a gRPC service name for grpc.
	 */
	private static final java.util.Set<String> SCHEMES = java.util.Set.of("http", "https", "tcp", "tls", "grpc",
			"grpcs");

	static final String PREFIX = "pulse.dev/";

	static final String PROBE = PREFIX + "probe";

	static final String PATH = PREFIX + "path";

	static final String PORT = PREFIX + "port";

	static final String SCHEME = PREFIX + "scheme";

	static final String INTERVAL = PREFIX + "interval";

	static final String TIMEOUT = PREFIX + "timeout";

	static final String CONDITIONS = PREFIX + "conditions";

	static final String WEIGHT = PREFIX + "weight";

	static final String INSECURE_SKIP_VERIFY = PREFIX + "tls-insecure-skip-verify";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private ProbeAnnotations() {
	}

	/** Whether the Service opts in: {@code pulse.dev/probe: "true"}. */
	static boolean optedIn(@Nullable Map<String, String> annotations) {
		return annotations != null && "true".equalsIgnoreCase(trim(annotations.get(PROBE)));
	}

	/**
	 * Read the annotations.
	 * @param annotations the Service's annotations
	 * @param problems where problems are added
	 * @return the template, or null when any annotation is unusable
	 */
	static @Nullable ProbeTemplate read(Map<String, String> annotations, List<AnnotationProblem> problems) {
		int before = problems.size();
		String path = orDefault(annotations.get(PATH), "/");
		if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == '#')) {
			problems.add(new AnnotationProblem(PATH,
					"'" + path + "' must be a path starting with / without spaces or a fragment"));
		}
		String scheme = orDefault(annotations.get(SCHEME), "http").toLowerCase(Locale.ROOT);
		if (!SCHEMES.contains(scheme)) {
			problems
				.add(new AnnotationProblem(SCHEME, "'" + scheme + "' must be http, https, tcp, tls, grpc or grpcs"));
		}
		else if ((scheme.equals("tcp") || scheme.equals("tls")) && !path.equals("/")) {
			problems.add(new AnnotationProblem(PATH, "a " + scheme + " probe has no path"));
		}
		List<String> ports = ports(annotations.get(PORT), problems);
		Duration interval = duration(annotations, INTERVAL, problems);
		Duration timeout = duration(annotations, TIMEOUT, problems);
		List<String> conditions = conditions(annotations.get(CONDITIONS), problems);
		int weight = weight(annotations.get(WEIGHT), problems);
		boolean insecure = flag(annotations, INSECURE_SKIP_VERIFY, problems);
		if (problems.size() > before) {
			return null;
		}
		return new ProbeTemplate(path, scheme, ports, interval, timeout, conditions, weight, insecure);
	}

	private static List<String> ports(@Nullable String text, List<AnnotationProblem> problems) {
		if (trim(text) == null) {
			return List.of();
		}
		List<String> ports = new ArrayList<>();
		for (String part : text.split(",", -1)) {
			String port = part.trim();
			if (port.isEmpty()) {
				problems.add(new AnnotationProblem(PORT, "'" + text + "' lists an empty port"));
				return List.of();
			}
			if (port.chars().allMatch(Character::isDigit)) {
				int number = (port.length() <= 5) ? Integer.parseInt(port) : 0;
				if (number < 1 || number > 65535) {
					problems.add(new AnnotationProblem(PORT, "port " + port + " must be between 1 and 65535"));
					return List.of();
				}
			}
			else if (!port.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
				problems.add(new AnnotationProblem(PORT, "'" + port + "' is neither a port number nor a port name"));
				return List.of();
			}
			if (!ports.contains(port)) {
				ports.add(port);
			}
		}
		return List.copyOf(ports);
	}

	private static @Nullable Duration duration(Map<String, String> annotations, String key,
			List<AnnotationProblem> problems) {
		String text = trim(annotations.get(key));
		if (text == null) {
			return null;
		}
		try {
			Duration duration = DurationFormatterUtils.detectAndParse(text);
			if (duration.isNegative() || duration.isZero()) {
				problems.add(new AnnotationProblem(key, "'" + text + "' must be a positive duration"));
				return null;
			}
			return duration;
		}
		catch (RuntimeException ex) {
			problems.add(new AnnotationProblem(key, "'" + text + "' is not a duration such as 10s, 500ms or 1m30s"));
			return null;
		}
	}

	private static @Nullable List<String> conditions(@Nullable String text, List<AnnotationProblem> problems) {
		if (trim(text) == null) {
			return null;
		}
		try {
			JsonNode list = JSON.readTree(text);
			List<String> conditions = new ArrayList<>();
			if (list.isArray()) {
				list.forEach(element -> conditions.add(element.isString() ? element.asString() : null));
			}
			if (conditions.isEmpty() || conditions.contains(null)) {
				problems.add(new AnnotationProblem(CONDITIONS,
						"must be a JSON list of at least one condition, each a string such as \"[STATUS] == 200\""));
				return null;
			}
			return List.copyOf(conditions);
		}
		catch (JacksonException ex) {
			problems.add(new AnnotationProblem(CONDITIONS,
					"is not a JSON list of strings such as [\"[STATUS] == 200\"]: " + ex.getOriginalMessage()));
			return null;
		}
	}

	private static int weight(@Nullable String text, List<AnnotationProblem> problems) {
		String value = trim(text);
		if (value == null) {
			return 100;
		}
		try {
			int weight = Integer.parseInt(value);
			if (weight >= 1 && weight <= 1000) {
				return weight;
			}
		}
		catch (NumberFormatException ex) {
			// reported below
		}
		problems.add(new AnnotationProblem(WEIGHT, "'" + value + "' must be a whole number between 1 and 1000"));
		return 100;
	}

	private static boolean flag(Map<String, String> annotations, String key, List<AnnotationProblem> problems) {
		String value = trim(annotations.get(key));
		if (value == null || value.equalsIgnoreCase("false")) {
			return false;
		}
		if (value.equalsIgnoreCase("true")) {
			return true;
		}
		problems.add(new AnnotationProblem(key, "'" + value + "' must be true or false"));
		return false;
	}

	private static String orDefault(@Nullable String value, String fallback) {
		String trimmed = trim(value);
		return (trimmed != null) ? trimmed : fallback;
	}

	private static @Nullable String trim(@Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		return value.trim();
	}

}
