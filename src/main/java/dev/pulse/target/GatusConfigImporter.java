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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import org.springframework.format.datetime.standard.DurationFormatterUtils;

/**
 * Reads the {@code endpoints} of a Gatus {@code config.yaml} as Pulse target properties,
 * so a Gatus user switches with one line ({@code pulse.import.gatus-config}). Every
 * endpoint is logged; every Gatus field Pulse does not support is named in a warning,
 * never silently dropped.
 */
final class GatusConfigImporter {

	private static final Logger logger = LoggerFactory.getLogger(GatusConfigImporter.class);

	/** Gatus's own defaults for what an endpoint leaves out. */
	private static final Duration GATUS_INTERVAL = Duration.ofSeconds(60);

	private static final Duration GATUS_TIMEOUT = Duration.ofSeconds(10);

	private static final Set<String> ENDPOINT_FIELDS = Set.of("name", "group", "url", "method", "headers", "body",
			"interval", "conditions", "client", "enabled");

	private static final Set<String> CLIENT_FIELDS = Set.of("timeout", "insecure");

	private static final Pattern ENV = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}");

	private GatusConfigImporter() {
	}

	/**
	 * Read a Gatus configuration.
	 * @param file the {@code config.yaml}
	 * @return target properties keyed by Pulse target name, in file order
	 * @throws InvalidTargetException when the file cannot be read or is not a Gatus
	 * config
	 */
	static Map<String, TargetProperties> read(Path file) {
		Map<String, Object> root = load(file);
		root.keySet()
			.stream()
			.filter(key -> !key.equals("endpoints"))
			.forEach(key -> logger.warn("Gatus config {}: '{}' is not supported by Pulse and was ignored", file, key));
		Map<String, TargetProperties> targets = new LinkedHashMap<>();
		if (!(root.get("endpoints") instanceof List<?> endpoints)) {
			return targets;
		}
		for (Object entry : endpoints) {
			if (entry instanceof Map<?, ?> endpoint) {
				importEndpoint(file, endpoint, targets);
			}
		}
		return targets;
	}

	private static Map<String, Object> load(Path file) {
		try {
			// Gatus expands ${VAR} from the environment before parsing; so does the
			// import.
			String text = expandEnvironment(Files.readString(file));
			Object parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
			if (parsed == null) {
				return Map.of();
			}
			if (!(parsed instanceof Map<?, ?> map)) {
				throw invalid(file, "is not a Gatus configuration (expected a YAML mapping)");
			}
			Map<String, Object> root = new LinkedHashMap<>();
			map.forEach((key, value) -> root.put(String.valueOf(key), value));
			return root;
		}
		catch (IOException ex) {
			throw invalid(file, "cannot be read: " + ex);
		}
		catch (RuntimeException ex) {
			if (ex instanceof InvalidTargetException) {
				throw ex;
			}
			throw invalid(file, "is not valid YAML: " + ex.getMessage());
		}
	}

	private static void importEndpoint(Path file, Map<?, ?> endpoint, Map<String, TargetProperties> targets) {
		String gatusName = text(endpoint.get("name"));
		String group = text(endpoint.get("group"));
		String url = text(endpoint.get("url"));
		String label = (group != null) ? group + "/" + gatusName : gatusName;
		if (gatusName == null) {
			logger.warn("Gatus config {}: an endpoint without a name was skipped", file);
			return;
		}
		if (url == null || !url.toLowerCase(Locale.ROOT).matches("(https?|tcp|tls)://.*")) {
			logger.warn(
					"Gatus endpoint '{}': url '{}' is not http, https, tcp or tls; Pulse imports those only, skipped",
					label, url);
			return;
		}
		// tcp:// and tls:// (Gatus's STARTTLS-less TLS check) talk raw bytes.
		boolean tcp = url.toLowerCase(Locale.ROOT).matches("(tcp|tls)://.*");
		endpoint.keySet()
			.stream()
			.map(String::valueOf)
			.filter(key -> !ENDPOINT_FIELDS.contains(key))
			.forEach(key -> logger.warn("Gatus endpoint '{}': '{}' is not supported by Pulse and was ignored", label,
					key));
		Map<?, ?> client = (endpoint.get("client") instanceof Map<?, ?> map) ? map : Map.of();
		client.keySet()
			.stream()
			.map(String::valueOf)
			.filter(key -> !CLIENT_FIELDS.contains(key))
			.forEach(key -> logger.warn("Gatus endpoint '{}': 'client.{}' is not supported by Pulse and was ignored",
					label, key));
		Duration interval = duration(file, label, "interval", endpoint.get("interval"), GATUS_INTERVAL);
		Duration timeout = duration(file, label, "client.timeout", client.get("timeout"), GATUS_TIMEOUT);
		if (timeout.compareTo(interval) > 0) {
			logger.warn("Gatus endpoint '{}': client timeout {} exceeds the interval {}; Pulse caps it at the interval",
					label, TargetResolver.format(timeout), TargetResolver.format(interval));
			timeout = interval;
		}
		String name = targetName(group, gatusName);
		// A Gatus tcp:// or tls:// endpoint sends its body once connected: Pulse's
		// tcp.send.
		TargetProperties properties = new TargetProperties(group, url, methodOf(endpoint.get("method")),
				tcp ? Map.of() : headers(endpoint.get("headers")), tcp ? null : text(endpoint.get("body")), interval,
				timeout, null, conditions(endpoint.get("conditions")), 100, false,
				new TargetProperties.Tls(Boolean.TRUE.equals(client.get("insecure"))),
				!Boolean.FALSE.equals(endpoint.get("enabled")), null,
				tcp ? new TargetProperties.Tcp(text(endpoint.get("body")), null, null) : null, null);
		if (targets.putIfAbsent(name, properties) != null) {
			logger.warn("Gatus endpoint '{}': another endpoint already became target '{}'; skipped", label, name);
			return;
		}
		logger.info("Imported Gatus endpoint '{}' as target '{}': {} {} every {}", label, name, properties.method(),
				url, TargetResolver.format(interval));
	}

	/**
	 * Gatus names are free text; Pulse names are URL- and label-safe: {@code Core API}
	 * becomes {@code core-api}.
	 */
	static String targetName(@Nullable String group, String name) {
		String joined = ((group != null) ? group + "-" : "") + name;
		String safe = joined.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "");
		safe = safe.replaceAll("-+$", "");
		return safe.isEmpty() ? "endpoint" : safe.substring(0, Math.min(63, safe.length()));
	}

	private static String expandEnvironment(String text) {
		Matcher matcher = ENV.matcher(text);
		StringBuilder expanded = new StringBuilder();
		while (matcher.find()) {
			String value = System.getenv(matcher.group(1));
			matcher.appendReplacement(expanded, Matcher.quoteReplacement((value != null) ? value : ""));
		}
		return matcher.appendTail(expanded).toString();
	}

	private static Duration duration(Path file, String label, String field, @Nullable Object value, Duration fallback) {
		String text = text(value);
		if (text == null) {
			return fallback;
		}
		try {
			return DurationFormatterUtils.detectAndParse(text);
		}
		catch (IllegalArgumentException ex) {
			throw invalid(file, "endpoint '" + label + "': " + field + " '" + text + "' is not a duration");
		}
	}

	private static String methodOf(@Nullable Object value) {
		String method = text(value);
		return (method != null) ? method.toUpperCase(Locale.ROOT) : "GET";
	}

	private static Map<String, String> headers(@Nullable Object value) {
		Map<String, String> headers = new LinkedHashMap<>();
		if (value instanceof Map<?, ?> map) {
			map.forEach((key, headerValue) -> headers.put(String.valueOf(key), String.valueOf(headerValue)));
		}
		return headers;
	}

	private static @Nullable List<String> conditions(@Nullable Object value) {
		if (!(value instanceof List<?> list)) {
			return null;
		}
		List<String> conditions = new ArrayList<>(list.size());
		list.forEach(condition -> conditions.add(String.valueOf(condition)));
		return conditions;
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value != null) ? String.valueOf(value) : null;
	}

	private static InvalidTargetException invalid(Path file, String problem) {
		return new InvalidTargetException(List
			.of(new InvalidTargetException.Violation("pulse.import.gatus-config", "'" + file + "' " + problem)));
	}

}
