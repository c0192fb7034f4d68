package dev.pulse.target;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
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

	private final TargetsFileProperties file;

	/** The definitions last read from the targets file, by name. */
	private Map<String, TargetProperties> fromFile = Map.of();

	private final Set<String> configured;

	public TargetRegistry(PulseProperties properties, ImportProperties imports, List<TargetValidator> validators) {
		this(properties, imports, TargetsFileProperties.NONE, validators);
	}

	/**
	 * The registry of a Spring context. A context that does not register
	 * {@link TargetsFileProperties} (a slice of the application) has no targets file.
	 */
	@Autowired
	public TargetRegistry(PulseProperties properties, ImportProperties imports,
			ObjectProvider<TargetsFileProperties> file, List<TargetValidator> validators) {
		this(properties, imports, file.getIfAvailable(() -> TargetsFileProperties.NONE), validators);
	}

	public TargetRegistry(PulseProperties properties, ImportProperties imports, TargetsFileProperties file,
			List<TargetValidator> validators) {
		this.file = file;
		this.configured = Set.copyOf(properties.targets().keySet());
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
		if (file.targetsFile() != null) {
			long started = System.nanoTime();
			Map<String, Target> read = readTargetsFile(violations);
			read.values().forEach(target -> this.targets.put(target.name(), target));
			logger.info("Read {} target(s) from {} in {} ms", read.size(), file.targetsFile(),
					java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
		}
		if (!violations.isEmpty()) {
			throw new InvalidTargetException(violations);
		}
	}

	/**
	 * Read and resolve the targets file; a name that {@code pulse.targets} (or the Gatus
	 * import) already declares is a violation, as no reader could tell which one wins.
	 */
	private Map<String, Target> readTargetsFile(List<InvalidTargetException.Violation> violations) {
		Path path = Path.of(this.file.targetsFile());
		Map<String, TargetProperties> definitions = TargetsFile.read(path, violations);
		Map<String, Target> resolved = new LinkedHashMap<>();
		definitions.forEach((name, properties) -> {
			String prefix = path.getFileName() + ": " + name + ".";
			if (this.configured.contains(name)) {
				violations.add(new InvalidTargetException.Violation(path.getFileName() + ": " + name,
						"'" + name + "' is declared in pulse.targets too; a name belongs to one place"));
				return;
			}
			try {
				Target target = this.resolver.resolve(name, properties, Target.Source.CONFIG, prefix);
				List<InvalidTargetException.Violation> broken = this.validators.stream()
					.flatMap(validator -> validator.validate(target, prefix).stream())
					.toList();
				if (broken.isEmpty()) {
					resolved.put(name, target);
				}
				violations.addAll(broken);
			}
			catch (InvalidTargetException ex) {
				violations.addAll(ex.violations());
			}
		});
		this.fromFile = definitions;
		return resolved;
	}

	/**
	 * Apply the targets file again after it changed: targets it no longer has are
	 * removed, new or changed ones put, unchanged ones left alone (their schedule, health
	 * and results go on). A file with any violation changes nothing.
	 * @return the violations, empty when the file was applied
	 * @throws IllegalStateException when there is no targets file
	 */
	public synchronized List<InvalidTargetException.Violation> reloadTargetsFile() {
		if (this.file.targetsFile() == null) {
			throw new IllegalStateException("no pulse.targets-file");
		}
		Map<String, TargetProperties> previous = this.fromFile;
		List<InvalidTargetException.Violation> violations = new ArrayList<>();
		Map<String, Target> read = readTargetsFile(violations);
		if (!violations.isEmpty()) {
			this.fromFile = previous;
			return violations;
		}
		int removed = 0;
		int put = 0;
		for (String name : previous.keySet()) {
			if (!read.containsKey(name) && find(name).filter(t -> t.source() == Target.Source.CONFIG).isPresent()) {
				remove(name);
				removed++;
			}
		}
		for (Target target : read.values()) {
			Target existing = this.targets.get(target.name());
			if (existing != null && existing.source() == Target.Source.API) {
				logger.warn("{}: '{}' is registered over the API; the API's definition stays until it is deleted",
						this.file.targetsFile(), target.name());
				continue;
			}
			if (existing == null || !this.fromFile.get(target.name()).equals(previous.get(target.name()))) {
				put(target);
				put++;
			}
		}
		logger.info("Reloaded {}: {} target(s), {} added or changed, {} removed", this.file.targetsFile(), read.size(),
				put, removed);
		return List.of();
	}

	/** The targets file, or null when there is none. */
	public @Nullable String targetsFile() {
		return this.file.targetsFile();
	}

	public TargetRegistry(PulseProperties properties) {
		this(properties, new ImportProperties(null), TargetsFileProperties.NONE, List.of());
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
