package dev.pulse.routing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.pulse.health.HealthTracker;
import dev.pulse.health.TargetHealth;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;
import dev.pulse.target.UrlRedaction;

/**
 * Scores the targets of a service and picks one for a caller. Computed on demand from the
 * registry and the health tracker, so a pick always reflects the latest results and
 * nothing needs invalidating.
 */
@Component
public class Router {

	private final TargetRegistry registry;

	private final HealthTracker health;

	private final RoutingProperties properties;

	private final Scorer scorer;

	private final Clock clock;

	@Autowired
	public Router(TargetRegistry registry, HealthTracker health, RoutingProperties properties) {
		this(registry, health, properties, Clock.systemUTC());
	}

	public Router(TargetRegistry registry, HealthTracker health, RoutingProperties properties, Clock clock) {
		this.registry = registry;
		this.health = health;
		this.properties = properties;
		this.scorer = new Scorer(properties);
		this.clock = clock;
	}

	/** Every service with at least one enabled target, in name order. */
	public List<String> services() {
		return this.registry.all().stream().filter(Target::enabled).map(Target::service).distinct().sorted().toList();
	}

	/**
	 * A service's targets with scores, weights and eligibility; empty for an unknown
	 * service.
	 */
	public Optional<ServiceRouting> service(String service) {
		List<Target> targets = this.registry.all()
			.stream()
			.filter(target -> target.enabled() && target.service().equals(service))
			.toList();
		return targets.isEmpty() ? Optional.empty() : Optional.of(route(service, targets));
	}

	/**
	 * Every service's routing, in service name order, from one pass over the registry: a
	 * listing or a scrape of thousands of targets must not score each service once per
	 * target.
	 */
	public List<ServiceRouting> allServices() {
		Map<String, List<Target>> byService = new TreeMap<>();
		for (Target target : this.registry.all()) {
			if (target.enabled()) {
				byService.computeIfAbsent(target.service(), service -> new ArrayList<>()).add(target);
			}
		}
		List<ServiceRouting> all = new ArrayList<>(byService.size());
		byService.forEach((service, targets) -> all.add(route(service, targets)));
		return all;
	}

	/** Every enabled target's score, by target name, from one pass. */
	public Map<String, TargetScore> allScores() {
		Map<String, TargetScore> scores = new HashMap<>();
		for (ServiceRouting routing : allServices()) {
			routing.targets().forEach(score -> scores.put(score.name(), score));
		}
		return scores;
	}

	private ServiceRouting route(String service, List<Target> targets) {
		List<TargetHealth> healths = targets.stream().map(target -> this.health.health(target.name())).toList();
		Double best = healths.stream()
			.filter(h -> h.state().isUp() && h.latencyEwmaMs() != null)
			.map(TargetHealth::latencyEwmaMs)
			.min(Double::compare)
			.orElse(null);
		RoutingProperties.Thresholds thresholds = this.properties.thresholds(service);
		Instant now = this.clock.instant();
		List<TargetScore> scores = new ArrayList<>(targets.size());
		for (int i = 0; i < targets.size(); i++) {
			Target target = targets.get(i);
			TargetHealth health = healths.get(i);
			Score score = this.scorer.score(target.weight(), health, best, now);
			if (target.drained()) {
				// A terminating pod finishes its requests and goes: send it nothing new.
				List<Factor> factors = new ArrayList<>(score.explanation());
				factors.add(new Factor("drained", "its pod is terminating", 0, "weight = 0"));
				score = new Score(score.score(), 0, factors);
			}
			boolean eligible = !target.drained() && health.state().isUp() && score.weight() > 0
					&& score.score() >= thresholds.minScore()
					&& (health.errorRate() == null || health.errorRate() <= thresholds.maxErrorRate());
			scores.add(new TargetScore(target.name(), UrlRedaction.redact(target.url()), health.state(), score.score(),
					score.weight(), eligible, !health.unreachable(), health.errorRate(), health.latencyEwmaMs(),
					score.explanation(), target.drained()));
		}
		long eligible = scores.stream().filter(TargetScore::eligible).count();
		boolean panic = eligible * 100 < (long) thresholds.panicThreshold() * scores.size();
		return new ServiceRouting(service, panic, scores);
	}

	/** The score of one target within its service. */
	public Optional<TargetScore> score(Target target) {
		return service(target.service()).flatMap(
				routing -> routing.targets().stream().filter(score -> score.name().equals(target.name())).findFirst());
	}

	/**
	 * Pick a target of a service.
	 * @param routing the service, as {@link #service} computed it
	 * @param strategy how to choose among eligible targets
	 * @return the pick, or empty when no target is eligible and panic mode is off
	 */
	public Optional<Pick> pick(ServiceRouting routing, Strategy strategy) {
		return choose(routing, strategy, ThreadLocalRandom.current()).map(target -> new Pick(routing.service(),
				target.name(), target.url(), target.score(), target.weight(), routing.panic()));
	}

	/**
	 * Why no target of a service can be picked: one entry per target, in name order. Only
	 * meaningful when {@link #pick} found none.
	 */
	public List<Exclusion> exclusions(ServiceRouting routing) {
		RoutingProperties.Thresholds thresholds = this.properties.thresholds(routing.service());
		List<Exclusion> exclusions = new ArrayList<>(routing.targets().size());
		for (TargetScore target : routing.targets()) {
			exclusions.add(Exclusion.of(target, this.health.health(target.name()), thresholds));
		}
		return exclusions;
	}

	/**
	 * Choose among a service's targets. In panic mode every reachable target is a
	 * candidate with equal chance, as Envoy spreads load when too few hosts are healthy,
	 * but never one that answered nothing at all to its latest probe: a caller sent there
	 * would fail for certain. Otherwise only eligible targets, by weight or by power of
	 * two choices.
	 */
	static Optional<TargetScore> choose(ServiceRouting routing, Strategy strategy, RandomGenerator random) {
		if (routing.panic()) {
			List<TargetScore> reachable = routing.targets()
				.stream()
				.filter(target -> target.reachable() && !target.drained())
				.toList();
			return reachable.isEmpty() ? Optional.empty()
					: Optional.of(reachable.get(random.nextInt(reachable.size())));
		}
		List<TargetScore> candidates = routing.targets().stream().filter(TargetScore::eligible).toList();
		if (candidates.isEmpty()) {
			return Optional.empty();
		}
		return Optional.of((strategy == Strategy.P2C) ? powerOfTwo(candidates, random) : weighted(candidates, random));
	}

	private static TargetScore weighted(List<TargetScore> candidates, RandomGenerator random) {
		double total = candidates.stream().mapToDouble(TargetScore::weight).sum();
		double point = random.nextDouble() * total;
		for (TargetScore candidate : candidates) {
			point -= candidate.weight();
			if (point < 0) {
				return candidate;
			}
		}
		return candidates.get(candidates.size() - 1);
	}

	private static TargetScore powerOfTwo(List<TargetScore> candidates, RandomGenerator random) {
		if (candidates.size() == 1) {
			return candidates.get(0);
		}
		int first = random.nextInt(candidates.size());
		int second = random.nextInt(candidates.size() - 1);
		if (second >= first) {
			second++;
		}
		TargetScore a = candidates.get(first);
		TargetScore b = candidates.get(second);
		if (a.score() != b.score()) {
			return (a.score() > b.score()) ? a : b;
		}
		return (a.weight() >= b.weight()) ? a : b;
	}

}
