package dev.pulse.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.pulse.routing.Pick;
import dev.pulse.routing.Router;
import dev.pulse.routing.ServiceRouting;
import dev.pulse.routing.Strategy;

/** Services, their scores, and which endpoint a caller should use now. */
@RestController
@RequestMapping("/api/services")
@Tag(name = "services", description = "Routing: scores and picks per service")
class ServiceController {

	private final Router router;

	ServiceController(Router router) {
		this.router = router;
	}

	@Operation(summary = "Every service with its target counts and panic state")
	@GetMapping
	ServiceList list() {
		List<ServiceSummary> services = this.router.allServices()
			.stream()
			.map(routing -> new ServiceSummary(routing.service(), routing.targets().size(), routing.up(),
					routing.panic()))
			.toList();
		return new ServiceList(services);
	}

	@Operation(summary = "A service's targets with score, weight, eligibility and explanation")
	@ApiResponse(responseCode = "200", description = "The scores")
	@ApiResponse(responseCode = "404", description = "No such service (problem+json)")
	@GetMapping("/{service}/scores")
	ServiceRouting scores(@PathVariable String service) {
		return find(service);
	}

	@Operation(summary = "Which target of a service to use now", description = "strategy=weighted (default) or p2c")
	@ApiResponse(responseCode = "200", description = "The pick")
	@ApiResponse(responseCode = "400", description = "Unknown strategy (problem+json)")
	@ApiResponse(responseCode = "404", description = "No such service (problem+json)")
	@ApiResponse(responseCode = "503",
			description = "No routable target: none eligible and panic mode off, or in panic mode every target unreachable (problem+json with reason no-routable-target and targets)")
	@GetMapping("/{service}/route")
	Pick route(@PathVariable String service, @RequestParam(defaultValue = "weighted") String strategy) {
		Strategy chosen;
		try {
			chosen = Strategy.of(strategy);
		}
		catch (IllegalArgumentException ex) {
			throw Problems.of(HttpStatus.BAD_REQUEST, "Invalid strategy", ex.getMessage());
		}
		ServiceRouting routing = find(service);
		return this.router.pick(routing, chosen).orElseThrow(() -> noRoutableTarget(routing));
	}

	/**
	 * A 503 that says why, target by target, so the caller (and whoever is paged) sees
	 * "every pod refuses connections" rather than a bare "unavailable".
	 */
	private ErrorResponseException noRoutableTarget(ServiceRouting routing) {
		String detail = routing.panic()
				? "Every target of service '" + routing.service()
						+ "' is down and got no HTTP response to its latest probe (" + routing.targets().size()
						+ " target(s), panic mode)"
				: "No target of service '" + routing.service() + "' is eligible and panic mode is off ("
						+ routing.targets().size() + " target(s), " + routing.up() + " up)";
		ErrorResponseException problem = Problems.withReason(HttpStatus.SERVICE_UNAVAILABLE, "No eligible target",
				"no-routable-target", detail);
		problem.getBody().setProperty("panic", routing.panic());
		problem.getBody().setProperty("targets", this.router.exclusions(routing));
		return problem;
	}

	private ServiceRouting find(String service) {
		return this.router.service(service)
			.orElseThrow(
					() -> Problems.of(HttpStatus.NOT_FOUND, "Service not found", "No service named '" + service + "'"));
	}

	/**
	 * Every service.
	 *
	 * @param services each with its counts
	 */
	record ServiceList(List<ServiceSummary> services) {
	}

	/**
	 * One service in the list.
	 *
	 * @param name the service's name
	 * @param targets its enabled targets
	 * @param healthy its targets that are healthy or degraded
	 * @param panic whether routing is in panic mode
	 */
	record ServiceSummary(String name, int targets, long healthy, boolean panic) {
	}

}
