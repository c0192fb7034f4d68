package dev.pulse.routing;

import java.util.List;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * {@code /actuator/routing}: every service with its scores and panic state, and
 * {@code /actuator/routing/{service}} for one (404 when unknown), for operators next to
 * {@code health} and {@code prometheus}.
 */
@Component
@Endpoint(id = "routing")
public class RoutingEndpoint {

	private final Router router;

	public RoutingEndpoint(Router router) {
		this.router = router;
	}

	@ReadOperation
	public ServicesDescriptor services() {
		return new ServicesDescriptor(this.router.allServices());
	}

	/**
	 * One service. An unknown one is refused with an exception rather than a null, so the
	 * answer is the same 404 problem+json as the API's, not an empty 404.
	 */
	@ReadOperation
	public ServiceRouting service(@Selector String service) {
		return this.router.service(service).orElseThrow(() -> notFound(service));
	}

	private static ErrorResponseException notFound(String service) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"No service named '" + service + "'");
		problem.setTitle("Service not found");
		return new ErrorResponseException(HttpStatus.NOT_FOUND, problem, null);
	}

	/**
	 * All services.
	 *
	 * @param services every service with its targets
	 */
	public record ServicesDescriptor(List<ServiceRouting> services) {
	}

}
