package dev.pulse.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

import dev.pulse.target.InvalidTargetException;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;

/**
 * Puts every stored registration into the registry at start-up, once every bean exists
 * and before the scheduler starts, so registered targets are probed from the first tick.
 * <p>
 * A registration is skipped, with a warning, when it no longer resolves (the rules or the
 * defaults changed since it was accepted) or when a configured target has its name
 * (configuration wins). A skipped registration stays in the store, so fixing the cause
 * and restarting brings it back; it is listed at {@code GET /api/registrations/invalid}
 * (through {@link SkippedRegistrations}). A store that cannot be read stops start-up.
 */
@Component
class RegistrationLoader implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(RegistrationLoader.class);

	private final TargetStore store;

	private final TargetRegistry registry;

	private final SkippedRegistrations skipped;

	RegistrationLoader(TargetStore store, TargetRegistry registry, SkippedRegistrations skipped) {
		this.store = store;
		this.registry = registry;
		this.skipped = skipped;
	}

	@Override
	public void afterSingletonsInstantiated() {
		load();
	}

	/**
	 * Load every stored registration.
	 * @return the names put into the registry, in name order
	 */
	List<String> load() {
		List<Registration> stored = this.store.findAll();
		List<String> loaded = new ArrayList<>();
		for (Registration registration : stored) {
			if (put(registration)) {
				loaded.add(registration.name());
			}
		}
		logger.info("Loaded {} registered target(s) from the store ({} stored, {} skipped)", loaded.size(),
				stored.size(), stored.size() - loaded.size());
		return loaded;
	}

	/** Put one registration into the registry; false when it is skipped. */
	boolean put(Registration registration) {
		String name = registration.name();
		Optional<Target> existing = this.registry.find(name);
		if (existing.isPresent() && existing.get().source() != Target.Source.API) {
			String holder = (existing.get().source() == Target.Source.KUBERNETES) ? "a discovered" : "a configured";
			logger.warn("Registered target '{}' is not loaded: {} target has the same name and wins; "
					+ "it stays in the store", name, holder);
			this.skipped.add(name, SkippedRegistrations.SHADOWED,
					holder + " target has the same name and wins; it stays in the store");
			return false;
		}
		try {
			this.registry.put(this.registry.resolve(name, registration.properties(), Target.Source.API));
			return true;
		}
		catch (InvalidTargetException ex) {
			logger.warn("Registered target '{}' is not loaded, it no longer passes validation ({}); it stays in the "
					+ "store until it is registered again with a valid definition", name, ex.getMessage());
			this.skipped.add(name, SkippedRegistrations.INVALID, ex.getMessage());
			return false;
		}
	}

}
