package dev.pulse.target;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The set of targets Pulse knows, keyed by name and kept in name order so listings are
 * stable. Configured targets are resolved once at start-up; an invalid one stops start-up
 * with every violation listed.
 */
@Component
public class TargetRegistry {

	private static final Logger logger = LoggerFactory.getLogger(TargetRegistry.class);

	private final List<TargetValidator> validators;

	private final NavigableMap<String, Target> targets = new ConcurrentSkipListMap<>();

	@Autowired
	public TargetRegistry(PulseProperties properties, ImportProperties imports, List<TargetValidator> validators) {
		this.validators = List.copyOf(validators);
		TargetResolver resolver = new TargetResolver(properties.defaults());
		List<InvalidTargetException.Violation> violations = new ArrayList<>();
		if (imports.gatusConfig() != null) {
			GatusConfigImporter.read(Path.of(imports.gatusConfig())).forEach((name, target) -> {
				if (properties.targets().containsKey(name)) {
					logger.warn("pulse.targets.{} overrides the Gatus endpoint imported under the same name", name);
					return;
				}
				add(resolver, name, target, "pulse.import.gatus-config[" + name + "].", violations);
			});
		}
		properties.targets()
			.forEach((name, target) -> add(resolver, name, target, "pulse.targets." + name + ".", violations));
		if (!violations.isEmpty()) {
			throw new InvalidTargetException(violations);
		}
	}

	public TargetRegistry(PulseProperties properties) {
		this(properties, new ImportProperties(null), List.of());
	}

	private void add(TargetResolver resolver, String name, TargetProperties properties, String keyPrefix,
			List<InvalidTargetException.Violation> violations) {
		try {
			Target target = resolver.resolve(name, properties, Target.Source.CONFIG, keyPrefix);
			List<InvalidTargetException.Violation> broken = this.validators.stream()
				.flatMap(validator -> validator.validate(target, keyPrefix).stream())
				.toList();
			if (broken.isEmpty()) {
				this.targets.put(name, target);
			}
			violations.addAll(broken);
		}
		catch (InvalidTargetException ex) {
			violations.addAll(ex.violations());
		}
	}

	/** Every target, enabled or not, in name order. */
	public Collection<Target> all() {
		return List.copyOf(this.targets.values());
	}

	public Optional<Target> find(String name) {
		return Optional.ofNullable(this.targets.get(name));
	}

}
