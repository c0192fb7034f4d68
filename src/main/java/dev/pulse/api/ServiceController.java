package dev.pulse.api;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
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
class ServiceController {

	private final Router router;

	ServiceController(Router router) {
		this.router = router;
	}

	@GetMapping
	Map<String, List<ServiceSummary>> list() {
		List<ServiceSummary> services = this.router.services()
			.stream()
			.flatMap(service -> this.router.service(service).stream())
			.map(routing -> new ServiceSummary(routing.service(), routing.targets().size(), routing.up(),
					routing.panic()))
			.toList();
		return Map.of("services", services);
	}

	@GetMapping("/{service}/scores")
	ServiceRouting scores(@PathVariable String service) {
		return find(service);
	}

	@GetMapping("/{service}/route")
	Pick route(@PathVariable String service, @RequestParam(defaultValue = "weighted") String strategy) {
		Strategy chosen;
		try {
			chosen = Strategy.of(strategy);
		}
		catch (IllegalArgumentException ex) {
			throw problem(HttpStatus.BAD_REQUEST, "Invalid strategy", ex.getMessage());
		}
		ServiceRouting routing = find(service);
		return this.router.pick(routing, chosen)
			.orElseThrow(() -> problem(HttpStatus.SERVICE_UNAVAILABLE, "No eligible target",
					"No target of service '" + service + "' is eligible and panic mode is off ("
							+ routing.targets().size() + " target(s), " + routing.up() + " up)"));
	}

	private ServiceRouting find(String service) {
		return this.router.service(service)
			.orElseThrow(
					() -> problem(HttpStatus.NOT_FOUND, "Service not found", "No service named '" + service + "'"));
	}

	private static ErrorResponseException problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return new ErrorResponseException(status, problem, null);
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
