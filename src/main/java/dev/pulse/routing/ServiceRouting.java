package dev.pulse.routing;

import java.util.List;

/**
 * A service's targets with their scores, and whether routing is in panic mode.
 *
 * @param service the service's name
 * @param panic true when too few targets are eligible, so picks ignore health
 * @param targets every enabled target of the service, in name order
 */
public record ServiceRouting(String service, boolean panic, List<TargetScore> targets) {

	public ServiceRouting {
		targets = List.copyOf(targets);
	}

	/** Targets that may be picked outside panic mode. */
	public long eligible() {
		return this.targets.stream().filter(TargetScore::eligible).count();
	}

	/** Targets that are healthy or degraded. */
	public long up() {
		return this.targets.stream().filter(target -> target.state().isUp()).count();
	}

}
