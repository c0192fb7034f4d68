package dev.pulse.routing;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.stereotype.Component;

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

	@ReadOperation
	public @Nullable ServiceRouting service(@Selector String service) {
		return this.router.service(service).orElse(null);
	}

	/**
	 * All services.
	 *
	 * @param services every service with its targets
	 */
	public record ServicesDescriptor(List<ServiceRouting> services) {
	}

}
