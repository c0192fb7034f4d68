package dev.pulse.target;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.springframework.stereotype.Component;

/**
 * The set of targets Pulse knows, keyed by name and kept in name order so listings are
 * stable. Configured targets are resolved once at start-up; an invalid one stops start-up
 * with every violation listed.
 */
@Component
public class TargetRegistry {

	private final NavigableMap<String, Target> targets = new ConcurrentSkipListMap<>();

	public TargetRegistry(PulseProperties properties) {
		TargetResolver resolver = new TargetResolver(properties.defaults());
		List<InvalidTargetException.Violation> violations = new ArrayList<>();
		for (Map.Entry<String, TargetProperties> entry : properties.targets().entrySet()) {
			String name = entry.getKey();
			try {
				this.targets.put(name,
						resolver.resolve(name, entry.getValue(), Target.Source.CONFIG, "pulse.targets." + name + "."));
			}
			catch (InvalidTargetException ex) {
				violations.addAll(ex.violations());
			}
		}
		if (!violations.isEmpty()) {
			throw new InvalidTargetException(violations);
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
