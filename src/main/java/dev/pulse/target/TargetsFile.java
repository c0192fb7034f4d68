package dev.pulse.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.springframework.format.datetime.standard.DurationFormatterUtils;

/**
 * Reads {@code pulse.targets-file}: a YAML (or JSON, which YAML reads too) mapping of
 * target name to definition, the shape of {@code pulse.targets}, optionally under a
 * top-level {@code targets} key.
 * <p>
 * Spring Boot's binder takes minutes for 10,000 entries of {@code pulse.targets} (binding
 * a map walks every property name of the source for every key), and even bound one
 * definition at a time it costs milliseconds each. Here each definition is read key by
 * key with the same relaxed names ({@code fresh-connection}, {@code freshConnection}),
 * the same value syntax ({@code 10s}, {@code a, b} for a list) and the same bean
 * validation, so the rules and messages are those of {@code pulse.targets}; unlike the
 * binder, an unknown key is an error, not silently dropped.
 */
final class TargetsFile {

	private static final Object VALIDATION_LOCK = new Object();

	private static @Nullable ValidatorFactory validation;

	private TargetsFile() {
	}

	/**
	 * Read the file.
	 * @param file the file
	 * @param violations where every problem goes, keyed {@code <file>: <name>.<key>}
	 * @return the definitions that read and validated, by name, in file order
	 */
	static Map<String, TargetProperties> read(Path file, List<InvalidTargetException.Violation> violations) {
		Map<String, TargetProperties> targets = new LinkedHashMap<>();
		Object root;
		try {
			LoaderOptions options = new LoaderOptions();
			// 10,000 targets are far past SnakeYAML's default limit of 3 MB of code
			// points.
			options.setCodePointLimit(256 * 1024 * 1024);
			root = new Yaml(new SafeConstructor(options)).load(Files.readString(file));
		}
		catch (IOException ex) {
			violations.add(new InvalidTargetException.Violation("pulse.targets-file", file + " cannot be read: " + ex));
			return targets;
		}
		catch (RuntimeException ex) {
			violations.add(new InvalidTargetException.Violation("pulse.targets-file",
					file + " is not valid YAML or JSON: " + ex.getMessage()));
			return targets;
		}
		if (root instanceof Map<?, ?> map && map.size() == 1 && map.get("targets") instanceof Map<?, ?> nested) {
			root = nested;
		}
		if (root == null) {
			return targets;
		}
		if (!(root instanceof Map<?, ?> definitions)) {
			violations.add(new InvalidTargetException.Violation("pulse.targets-file",
					file + " must hold a mapping of target name to definition"));
			return targets;
		}
		jakarta.validation.Validator validator = validator();
		definitions.forEach((key, value) -> {
			String name = String.valueOf(key);
			String prefix = file.getFileName() + ": " + name + ".";
			if (!(value instanceof Map<?, ?> definition)) {
				violations.add(new InvalidTargetException.Violation(file.getFileName() + ": " + name,
						"must be a mapping of settings (url, interval, ...)"));
				return;
			}
			Definition reader = new Definition(prefix, definition, violations);
			TargetProperties properties = reader.target();
			if (reader.failed) {
				return;
			}
			boolean valid = true;
			for (var violation : validator.validate(properties)) {
				String field = kebab(violation.getPropertyPath().toString());
				violations
					.add(new InvalidTargetException.Violation(prefix + field, field + " " + violation.getMessage()));
				valid = false;
			}
			if (valid) {
				targets.put(name, properties);
			}
		});
		return targets;
	}

	/** {@code tls.insecureSkipVerify} as {@code tls.insecure-skip-verify}. */
	static String kebab(String name) {
		return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	private static jakarta.validation.Validator validator() {
		synchronized (VALIDATION_LOCK) {
			if (validation == null) {
				validation = Validation.buildDefaultValidatorFactory();
			}
			return validation.getValidator();
		}
	}

	/**
	 * One definition read key by key, with Spring Boot's relaxed names and value syntax.
	 */
	private static final class Definition {

		private static final Set<String> TARGET_KEYS = Set.of("service", "url", "method", "headers", "body", "interval",
				"timeout", "jitter", "conditions", "weight", "fresh-connection", "tls", "enabled", "retry", "tcp",
				"heartbeat");

		private static final Set<String> TLS_KEYS = Set.of("insecure-skip-verify");

		private static final Set<String> TCP_KEYS = Set.of("send", "expect", "read-bytes");

		private static final Set<String> RETRY_KEYS = Set.of("max-attempts", "initial-backoff", "multiplier",
				"randomization-factor", "max-backoff", "retry-on");

		private final String prefix;

		private final List<InvalidTargetException.Violation> violations;

		private final Map<String, Object> values;

		boolean failed;

		Definition(String prefix, Map<?, ?> raw, List<InvalidTargetException.Violation> violations) {
			this.prefix = prefix;
			this.violations = violations;
			this.values = normalise("", raw, TARGET_KEYS);
		}

		/** Keys in their canonical kebab-case; an unknown one is a violation. */
		private Map<String, Object> normalise(String path, Map<?, ?> raw, Set<String> known) {
			Map<String, Object> values = new LinkedHashMap<>();
			raw.forEach((key, value) -> {
				String canonical = kebab(String.valueOf(key)).replace('_', '-');
				if (!known.contains(canonical)) {
					fail(path + key,
							"unknown key '" + key + "'; known keys: " + String.join(", ", new TreeSet<>(known)));
					return;
				}
				values.put(canonical, value);
			});
			return values;
		}

		TargetProperties target() {
			Map<String, Object> tls = map("tls", TLS_KEYS);
			Map<String, Object> retry = map("retry", RETRY_KEYS);
			Map<String, Object> tcp = map("tcp", TCP_KEYS);
			RetryProperties retryProperties = (retry == null) ? null
					: new RetryProperties(integer(retry, "retry.", "max-attempts"),
							duration(retry, "retry.", "initial-backoff"), number(retry, "retry.", "multiplier"),
							number(retry, "retry.", "randomization-factor"), duration(retry, "retry.", "max-backoff"),
							strings(retry, "retry.", "retry-on"));
			Boolean skipVerify = (tls != null) ? bool(tls, "tls.", "insecure-skip-verify") : null;
			Map<String, String> headers = new LinkedHashMap<>();
			Object rawHeaders = this.values.get("headers");
			if (rawHeaders instanceof Map<?, ?> map) {
				map.forEach(
						(key, value) -> headers.put(String.valueOf(key), (value != null) ? String.valueOf(value) : ""));
			}
			else if (rawHeaders != null) {
				fail("headers", "headers must be a mapping of header name to value");
			}
			String method = text(this.values, "", "method");
			Integer weight = integer(this.values, "", "weight");
			Boolean fresh = bool(this.values, "", "fresh-connection");
			Boolean enabled = bool(this.values, "", "enabled");
			return new TargetProperties(text(this.values, "", "service"), text(this.values, "", "url"),
					(method != null) ? method : "GET", headers, text(this.values, "", "body"),
					duration(this.values, "", "interval"), duration(this.values, "", "timeout"),
					duration(this.values, "", "jitter"), strings(this.values, "", "conditions"),
					(weight != null) ? weight : 100, Boolean.TRUE.equals(fresh),
					new TargetProperties.Tls(Boolean.TRUE.equals(skipVerify)), !Boolean.FALSE.equals(enabled),
					retryProperties,
					(tcp == null) ? null : new TargetProperties.Tcp(text(tcp, "tcp.", "send"),
							text(tcp, "tcp.", "expect"), integer(tcp, "tcp.", "read-bytes")),
					text(this.values, "", "heartbeat"));
		}

		private @Nullable Map<String, Object> map(String key, Set<String> known) {
			Object value = this.values.get(key);
			if (value == null) {
				return null;
			}
			if (!(value instanceof Map<?, ?> map)) {
				fail(key, key + " must be a mapping");
				return null;
			}
			return normalise(key + ".", map, known);
		}

		private @Nullable String text(Map<String, Object> values, String path, String key) {
			Object value = values.get(key);
			if (value instanceof Map<?, ?> || value instanceof List<?>) {
				fail(path + key, key + " must be a single value");
				return null;
			}
			return (value != null) ? String.valueOf(value) : null;
		}

		private @Nullable Integer integer(Map<String, Object> values, String path, String key) {
			String text = text(values, path, key);
			if (text == null) {
				return null;
			}
			try {
				return Integer.valueOf(text.trim());
			}
			catch (NumberFormatException ex) {
				fail(path + key, "'" + text + "' is not an integer");
				return null;
			}
		}

		private @Nullable Double number(Map<String, Object> values, String path, String key) {
			String text = text(values, path, key);
			if (text == null) {
				return null;
			}
			try {
				return Double.valueOf(text.trim());
			}
			catch (NumberFormatException ex) {
				fail(path + key, "'" + text + "' is not a number");
				return null;
			}
		}

		private @Nullable Boolean bool(Map<String, Object> values, String path, String key) {
			String text = text(values, path, key);
			if (text == null) {
				return null;
			}
			if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
				fail(path + key, "'" + text + "' is not true or false");
				return null;
			}
			return Boolean.valueOf(text);
		}

		private @Nullable Duration duration(Map<String, Object> values, String path, String key) {
			String text = text(values, path, key);
			if (text == null) {
				return null;
			}
			try {
				return DurationFormatterUtils.detectAndParse(text.trim());
			}
			catch (IllegalArgumentException ex) {
				fail(path + key, "'" + text + "' is not a duration such as 10s or 500ms");
				return null;
			}
		}

		private @Nullable List<String> strings(Map<String, Object> values, String path, String key) {
			Object value = values.get(key);
			if (value == null) {
				return null;
			}
			if (value instanceof List<?> list) {
				List<String> strings = new ArrayList<>(list.size());
				for (Object item : list) {
					strings.add(String.valueOf(item));
				}
				return strings;
			}
			// As Spring Boot binds a comma-separated value to a list.
			return List.of(String.valueOf(value).split("\\s*,\\s*"));
		}

		private void fail(String key, String message) {
			this.violations.add(new InvalidTargetException.Violation(this.prefix + key, message));
			this.failed = true;
		}

	}

}
