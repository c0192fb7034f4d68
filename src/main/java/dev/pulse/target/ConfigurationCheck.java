package dev.pulse.target;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Bindable.BindRestriction;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.IgnoreTopLevelConverterNotFoundBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.validation.MessageInterpolatorFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.validation.annotation.Validated;

import dev.pulse.target.InvalidTargetException.Violation;

/**
 * Checks every {@code pulse.*} properties record and every configured target before any
 * bean is created, and stops start-up once with the whole list. Without it Spring Boot
 * binds and validates each record when its bean is created, so the first invalid record
 * stopped start-up and hid the rest (a bad pool size hid a bad condition).
 * <p>
 * It binds the records this context registered ({@code @ConfigurationPropertiesScan},
 * {@code @EnableConfigurationProperties}) from the same environment, with their
 * {@code @DefaultValue}s and, for {@code @Validated} ones, Bean Validation; then resolves
 * the targets as {@link TargetRegistry} does, with the {@link TargetValidator}s listed in
 * {@code META-INF/spring.factories}. A valid configuration passes untouched, and the
 * beans bind it again as before.
 */
class ConfigurationCheck implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	private static final String PREFIX = "pulse";

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		// A bean factory post-processor runs once every property source is in place
		// (test and dynamic properties, @PropertySource) and before any bean exists.
		context.addBeanFactoryPostProcessor(beanFactory -> check(context.getEnvironment(), beanFactory));
	}

	static void check(ConfigurableEnvironment environment, ConfigurableListableBeanFactory beanFactory) {
		Map<Class<?>, String> records = pulseRecords(beanFactory);
		if (records.isEmpty()) {
			return;
		}
		Binder binder = Binder.get(environment);
		List<Violation> violations = new ArrayList<>();
		Set<String> unreadable = new HashSet<>();
		PulseProperties pulse = null;
		try (ValidatorFactory validation = Validation.byDefaultProvider()
			.configure()
			.messageInterpolator(new MessageInterpolatorFactory().getObject())
			.buildValidatorFactory()) {
			// By prefix, so the list reads the same on every start.
			List<Map.Entry<Class<?>, String>> sorted = new ArrayList<>(records.entrySet());
			sorted.sort(Map.Entry.comparingByValue());
			for (Map.Entry<Class<?>, String> record : sorted) {
				Object bound = bind(binder, record.getKey(), record.getValue(), validation.getValidator(), violations,
						unreadable);
				pulse = (bound instanceof PulseProperties properties) ? properties : pulse;
			}
		}
		if (pulse != null && beanFactory.getBeanNamesForType(TargetRegistry.class, true, false).length > 0) {
			checkTargets(pulse, beanFactory.getBeanClassLoader(), violations, unreadable);
		}
		if (!violations.isEmpty()) {
			throw new InvalidConfigurationException(violations);
		}
	}

	/** The {@code pulse.*} records the context will bind, with their prefixes. */
	private static Map<Class<?>, String> pulseRecords(ConfigurableListableBeanFactory beanFactory) {
		Map<Class<?>, String> records = new LinkedHashMap<>();
		for (String name : beanFactory.getBeanDefinitionNames()) {
			Class<?> type = beanFactory.getBeanDefinition(name).getResolvableType().resolve();
			if (type == null) {
				continue;
			}
			MergedAnnotation<ConfigurationProperties> annotation = MergedAnnotations.from(type)
				.get(ConfigurationProperties.class);
			String prefix = annotation.isPresent() ? annotation.getString("prefix") : "";
			if (prefix.equals(PREFIX) || prefix.startsWith(PREFIX + ".")) {
				records.putIfAbsent(type, prefix);
			}
		}
		return records;
	}

	private static @Nullable Object bind(Binder binder, Class<?> type, String prefix, Validator validator,
			List<Violation> violations, Set<String> unreadable) {
		Collector collector = new Collector();
		Bindable<?> target = Bindable.of(type)
			.withAnnotations(type.getAnnotations())
			.withBindRestrictions(BindRestriction.NO_DIRECT_PROPERTY);
		Object bound;
		try {
			bound = binder.bindOrCreate(prefix, target, collector);
		}
		catch (BindException ex) {
			violations.addAll(collector.failures);
			violations.addAll(unbuildable(ex));
			return null;
		}
		violations.addAll(collector.failures);
		collector.failures.forEach(failure -> unreadable.add(failure.field()));
		if (MergedAnnotations.from(type).isPresent(Validated.class)) {
			validator.validate(bound)
				.stream()
				.map(violation -> violation(prefix, violation, collector.bound))
				.sorted(Comparator.comparing(Violation::field))
				.forEach(violations::add);
		}
		return bound;
	}

	private static Violation violation(String prefix, ConstraintViolation<Object> violation,
			Map<String, ConfigurationProperty> bound) {
		String path = javaPath(violation.getPropertyPath());
		String key = path.isEmpty() ? prefix : prefix + "." + InvalidPropertyFailureAnalyzer.configurationKey(path);
		ConfigurationProperty property = bound.get(key);
		Object value = (property != null) ? property.getValue() : violation.getInvalidValue();
		return new Violation(key, violation.getMessage() + InvalidPropertyFailureAnalyzer.was(key, value, property));
	}

	/**
	 * {@code targets[api].weight}, as Spring's validator adapter names a field, without
	 * the container nodes ({@code <map value>}) Hibernate Validator adds.
	 */
	private static String javaPath(Path path) {
		StringBuilder field = new StringBuilder();
		for (Path.Node node : path) {
			if (node.isInIterable() && !field.isEmpty()) {
				Object index = (node.getIndex() != null) ? node.getIndex() : node.getKey();
				field.append('[').append((index != null) ? index : "").append(']');
			}
			String name = node.getName();
			if (name != null && node.getKind() == ElementKind.PROPERTY && !name.startsWith("<")) {
				field.append(field.isEmpty() ? "" : ".").append(name);
			}
		}
		return field.toString();
	}

	/**
	 * A record whose constructor refused its values. Pulse's records name each key in the
	 * message ({@code pulse.x[0]: ...; pulse.x[1]: ...}), so each becomes one line.
	 */
	private static List<Violation> unbuildable(BindException ex) {
		List<Violation> violations = new ArrayList<>();
		for (String part : rootMessage(ex).split("; (?=" + PREFIX + "\\.)")) {
			int colon = part.indexOf(": ");
			violations.add((part.startsWith(PREFIX + ".") && colon > 0)
					? new Violation(part.substring(0, colon), part.substring(colon + 2))
					: new Violation(ex.getName().toString(), part));
		}
		return violations;
	}

	private static void checkTargets(PulseProperties pulse, @Nullable ClassLoader classLoader,
			List<Violation> violations, Set<String> unreadable) {
		Set<String> reported = new HashSet<>();
		violations.forEach(violation -> reported.add(violation.field()));
		// Targets inherit the defaults: with invalid ones, each target is checked against
		// the built-in defaults, so its own mistakes still show.
		PulseProperties.Defaults defaults = reported.stream().anyMatch(key -> key.startsWith("pulse.defaults."))
				? new Binder(List.of()).bindOrCreate("pulse.defaults", PulseProperties.Defaults.class)
				: pulse.defaults();
		// A key that could not be read stands at its default here, which would report
		// rules the user never broke.
		Map<String, TargetProperties> readable = new LinkedHashMap<>();
		pulse.targets().forEach((name, target) -> {
			if (unreadable.stream().noneMatch(key -> key.startsWith("pulse.targets." + name + "."))) {
				readable.put(name, target);
			}
		});
		List<TargetValidator> validators = SpringFactoriesLoader.forDefaultResourceLocation(classLoader)
			.load(TargetValidator.class);
		try {
			new TargetRegistry(new PulseProperties(defaults, readable), new ImportProperties(null), validators);
		}
		catch (InvalidTargetException ex) {
			// Binding already named these keys; the resolver's second wording would
			// repeat
			// them.
			ex.violations()
				.stream()
				.filter(violation -> !reported.contains(violation.field()))
				.forEach(violations::add);
		}
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return (root.getMessage() != null) ? root.getMessage() : root.toString();
	}

	/**
	 * Remembers where each bound value came from, and turns a value that cannot be
	 * converted into a violation instead of stopping at it.
	 */
	private static final class Collector extends AbstractBindHandler {

		private final Map<String, ConfigurationProperty> bound = new HashMap<>();

		private final List<Violation> failures = new ArrayList<>();

		Collector() {
			super(new IgnoreTopLevelConverterNotFoundBindHandler());
		}

		@Override
		public @Nullable Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
				Object result) {
			ConfigurationProperty property = context.getConfigurationProperty();
			if (property != null) {
				this.bound.put(property.getName().toString(), property);
			}
			return super.onSuccess(name, target, context, result);
		}

		@Override
		public @Nullable Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
				Exception error) throws Exception {
			if (context.getDepth() == 0) {
				// The record itself cannot be built; the caller reports why.
				return super.onFailure(name, target, context, error);
			}
			ConfigurationProperty property = context.getConfigurationProperty();
			Class<?> type = target.getType().resolve();
			String key = name.toString();
			this.failures.add(new Violation(key,
					"cannot be converted to " + ((type != null) ? type.getSimpleName() : target.getType()) + ": "
							+ rootMessage(error) + InvalidPropertyFailureAnalyzer.was(key,
									(property != null) ? property.getValue() : null, property)));
			// Go on with the key's default, to find the other invalid keys.
			return null;
		}

	}

}
