package dev.pulse.target;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.bind.validation.ValidationErrors;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Reports an invalid {@code pulse.*} property by the key a user writes
 * ({@code pulse.transport.max-connections-per-host}), not by the record's Java path
 * ({@code maxConnectionsPerHost}, {@code targets[api]}), with the rule and where the
 * value came from. Other prefixes are left to Spring Boot's own analyzer. A
 * {@code SpringApplication} start meets these keys earlier, all at once, in
 * {@link ConfigurationCheck}; this covers a record bound without it.
 */
class InvalidPropertyFailureAnalyzer extends AbstractFailureAnalyzer<BindValidationException> implements Ordered {

	private static final Pattern SEGMENT = Pattern.compile("\\[([^\\]]*)\\]|([^.\\[]+)");

	@Override
	public int getOrder() {
		// Before Spring Boot's BindValidationFailureAnalyzer, which would print the Java
		// path.
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, BindValidationException cause) {
		ValidationErrors errors = cause.getValidationErrors();
		String prefix = errors.getName().toString();
		if (!prefix.equals("pulse") && !prefix.startsWith("pulse.")) {
			return null;
		}
		List<String> lines = new ArrayList<>();
		for (ObjectError error : errors) {
			lines.add("    " + describe(prefix, error, errors));
		}
		return new FailureAnalysis("Invalid Pulse configuration:\n" + String.join("\n", lines),
				InvalidTargetFailureAnalyzer.ACTION, cause);
	}

	private static String describe(String prefix, ObjectError error, ValidationErrors errors) {
		if (!(error instanceof FieldError field)) {
			return prefix + ": " + error.getDefaultMessage();
		}
		String key = prefix + "." + configurationKey(field.getField());
		ConfigurationProperty bound = errors.getBoundProperties()
			.stream()
			.filter(property -> property.getName().toString().equals(key))
			.findFirst()
			.orElse(null);
		Object value = (bound != null) ? bound.getValue() : field.getRejectedValue();
		return key + ": " + field.getDefaultMessage() + was(key, value, bound);
	}

	/**
	 * {@code (was 0, from class path resource [application.yaml] - 4:31)}, with a URL's
	 * user-info hidden and a header or token value never shown.
	 */
	static String was(String key, @Nullable Object value, @Nullable ConfigurationProperty bound) {
		String origin = (bound != null && bound.getOrigin() != null) ? ", from " + bound.getOrigin() : "";
		String shown;
		if (value != null && (key.contains(".headers.") || key.endsWith("-token"))) {
			shown = "******";
		}
		else if (value instanceof String text && key.endsWith(".url")) {
			shown = UrlRedaction.redact(text);
		}
		else {
			shown = String.valueOf(value);
		}
		return " (was " + shown + origin + ")";
	}

	/**
	 * {@code targets[api].freshConnection} becomes {@code targets.api.fresh-connection}.
	 */
	static String configurationKey(String javaPath) {
		List<String> segments = new ArrayList<>();
		Matcher matcher = SEGMENT.matcher(javaPath);
		while (matcher.find()) {
			segments.add((matcher.group(1) != null) ? matcher.group(1) : kebab(matcher.group(2)));
		}
		return String.join(".", segments);
	}

	private static String kebab(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

}
