package dev.pulse.store;

import java.util.List;
import java.util.Optional;

import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Brings registrations other replicas wrote into this replica's registry: each change
 * read from the store ({@link TargetStore#changesSince}) is put or removed as if it had
 * been made here, so every replica lists, routes and (if it owns the target) probes every
 * registered target. Changes this process wrote are already applied and are skipped, and
 * so is a change that leaves the target as it is, so a replayed change never starts an
 * extra probe. A configured target keeps winning over a registration of its name.
 */
@Component
public class RegistrationFeed {

	private static final Logger logger = LoggerFactory.getLogger(RegistrationFeed.class);

	private final TargetStore store;

	private final TargetRegistry registry;

	private final RegistrationLoader loader;

	RegistrationFeed(TargetStore store, TargetRegistry registry, RegistrationLoader loader) {
		this.store = store;
		this.registry = registry;
		this.loader = loader;
	}

	/** From now on tell this process's writes apart; call before reading changes. */
	public void start() {
		this.store.trackOwnWrites();
	}

	/**
	 * Apply changes, oldest first.
	 * @return how many changed the registry
	 */
	public int apply(List<TargetStore.Change> changes) {
		int applied = 0;
		for (TargetStore.Change change : changes) {
			if (this.store.ownWrite(change)) {
				continue;
			}
			Optional<Target> existing = this.registry.find(change.name());
			Registration registration = change.registration();
			if (registration == null) {
				if (existing.isPresent() && existing.get().source() == Target.Source.API) {
					this.registry.remove(change.name());
					applied++;
				}
				continue;
			}
			if (existing.isPresent() && existing.get().source() == Target.Source.API
					&& existing.get().equals(resolveQuietly(registration))) {
				continue;
			}
			if (this.loader.put(registration)) {
				applied++;
			}
		}
		if (applied > 0) {
			logger.debug("Applied {} registration change(s) from other replicas", applied);
		}
		return applied;
	}

	private Target resolveQuietly(Registration registration) {
		try {
			return this.registry.resolve(registration.name(), registration.properties(), Target.Source.API);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

}
