package dev.pulse.target;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
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

	private final TargetResolver resolver;

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private final NavigableMap<String, Target> targets = new ConcurrentSkipListMap<>();

	@Autowired
	public TargetRegistry(PulseProperties properties, ImportProperties imports, List<TargetValidator> validators) {
		this.validators = List.copyOf(validators);
		this.resolver = new TargetResolver(properties.defaults());
		TargetResolver resolver = this.resolver;
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

	/**
	 * Resolve and validate a target without adding it, as the API does before it stores
	 * one.
	 * @param name the target's name
	 * @param properties its properties
	 * @param source where it comes from
	 * @return the target
	 * @throws InvalidTargetException listing every broken rule, with keys relative to the
	 * target ({@code url}, {@code retry.max-attempts})
	 */
	public Target resolve(String name, TargetProperties properties, Target.Source source) {
		Target target = this.resolver.resolve(name, properties, source, "");
		List<InvalidTargetException.Violation> broken = this.validators.stream()
			.flatMap(validator -> validator.validate(target, "").stream())
			.toList();
		if (!broken.isEmpty()) {
			throw new InvalidTargetException(broken);
		}
		return target;
	}

	/**
	 * Add or replace a target; listeners hear of it at once.
	 * @param target the target
	 * @return the target it replaced, if any
	 */
	public Optional<Target> put(Target target) {
		Target previous = this.targets.put(target.name(), target);
		this.listeners.forEach(listener -> listener.onPut(previous, target));
		return Optional.ofNullable(previous);
	}

	/**
	 * Remove a target; listeners hear of it at once.
	 * @param name the target's name
	 * @return the removed target, if there was one
	 */
	public Optional<Target> remove(String name) {
		Target removed = this.targets.remove(name);
		if (removed != null) {
			this.listeners.forEach(listener -> listener.onRemoved(removed));
		}
		return Optional.ofNullable(removed);
	}

	/** Hear of every target added, replaced or removed after start-up. */
	public void addListener(Listener listener) {
		this.listeners.add(listener);
	}

	public int size() {
		return this.targets.size();
	}

	/** Every target, enabled or not, in name order. */
	public Collection<Target> all() {
		return List.copyOf(this.targets.values());
	}

	public Optional<Target> find(String name) {
		return Optional.ofNullable(this.targets.get(name));
	}

	/**
	 * Hears of changes to the set of targets. Called on the thread that made the change.
	 */
	public interface Listener {

		/**
		 * A target was added or replaced.
		 * @param previous the target it replaced, or null when it is new
		 * @param target the target now
		 */
		void onPut(@Nullable Target previous, Target target);

		/** A target was removed. */
		void onRemoved(Target target);

	}

}
