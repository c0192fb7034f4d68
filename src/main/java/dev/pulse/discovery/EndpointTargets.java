package dev.pulse.discovery;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import org.jspecify.annotations.Nullable;

import dev.pulse.target.Target;

/**
 * The endpoints of one Service that become targets: every ready or terminating endpoint
 * address times every probed port, from all of the Service's EndpointSlices. A pure
 * function of the informers' caches, so a relist computes the same answer and nothing
 * flaps.
 */
final class EndpointTargets {

	/** The label every EndpointSlice carries with its Service's name. */
	static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

	private EndpointTargets() {
	}

	/**
	 * One endpoint × port that becomes a target.
	 *
	 * @param name the target's name
	 * @param url the URL probed
	 * @param discovery where it lives
	 */
	record Found(String name, String url, Target.Discovery discovery) {
	}

	/**
	 * The targets of a Service.
	 * @param service the Service
	 * @param slices its EndpointSlices, in any order
	 * @param template how it is probed
	 * @param problems where an unknown port is reported
	 * @return the targets by name, in name order of their slices
	 */
	static Map<String, Found> of(Service service, List<EndpointSlice> slices, ProbeTemplate template,
			List<AnnotationProblem> problems) {
		String serviceName = service.getMetadata().getName();
		String namespace = service.getMetadata().getNamespace();
		List<String> selectors = template.ports().isEmpty() ? List.of(firstPort(service)) : template.ports();
		boolean suffix = template.ports().size() > 1;
		Map<String, Found> found = new LinkedHashMap<>();
		List<EndpointSlice> ordered = new ArrayList<>(slices);
		// Dual stack: an endpoint is in an IPv4 and an IPv6 slice; IPv4 wins, by slice
		// name
		// after.
		ordered.sort(Comparator.comparing((EndpointSlice slice) -> !"IPv4".equals(slice.getAddressType()))
			.thenComparing(slice -> slice.getMetadata().getName()));
		for (EndpointSlice slice : ordered) {
			if (!"IPv4".equals(slice.getAddressType()) && !"IPv6".equals(slice.getAddressType())) {
				continue;
			}
			List<EndpointPort> ports = (slice.getPorts() != null) ? slice.getPorts() : List.of();
			for (String selector : selectors) {
				EndpointPort port = port(service, ports, selector);
				if (port == null) {
					if (!ports.isEmpty() || !selector.isEmpty()) {
						problems.add(new AnnotationProblem(ProbeAnnotations.PORT,
								"EndpointSlice " + slice.getMetadata().getName() + " has no TCP port "
										+ (selector.isEmpty() ? "(the Service names none)" : "'" + selector + "'")));
					}
					continue;
				}
				for (Endpoint endpoint : (slice.getEndpoints() != null) ? slice.getEndpoints() : List.<Endpoint>of()) {
					add(found, serviceName, namespace, slice, endpoint, port, suffix ? selector : null, template);
				}
			}
		}
		return found;
	}

	private static void add(Map<String, Found> found, String service, String namespace, EndpointSlice slice,
			Endpoint endpoint, EndpointPort port, @Nullable String portSuffix, ProbeTemplate template) {
		if (endpoint.getAddresses() == null || endpoint.getAddresses().isEmpty()) {
			return;
		}
		boolean terminating = endpoint.getConditions() != null
				&& Boolean.TRUE.equals(endpoint.getConditions().getTerminating());
		// A nil ready means unknown, which consumers are told to read as ready.
		boolean ready = endpoint.getConditions() == null || !Boolean.FALSE.equals(endpoint.getConditions().getReady());
		if (!ready && !terminating) {
			return;
		}
		// Consumers use the first address only (the API's own rule).
		String address = endpoint.getAddresses().get(0);
		String pod = (endpoint.getTargetRef() != null && "Pod".equals(endpoint.getTargetRef().getKind()))
				? endpoint.getTargetRef().getName() : null;
		String name = TargetNames.of(service, (pod != null) ? pod : address, portSuffix);
		Found candidate = new Found(name, url(template, address, port.getPort()),
				new Target.Discovery(namespace, pod, endpoint.getNodeName(), endpoint.getZone(), address, terminating));
		Found existing = found.get(name);
		// The same endpoint twice (dual stack, or a slice being split): a serving copy
		// wins.
		if (existing == null || (existing.discovery().terminating() && !terminating)) {
			found.put(name, candidate);
		}
	}

	private static String url(ProbeTemplate template, String address, int port) {
		String host = address.contains(":") ? "[" + address + "]" : address;
		return template.scheme() + "://" + host + ":" + port + template.path();
	}

	/** The Service's first port's name ("" when unnamed): the one probed by default. */
	private static String firstPort(Service service) {
		List<ServicePort> ports = (service.getSpec() != null) ? service.getSpec().getPorts() : null;
		if (ports == null || ports.isEmpty()) {
			return "";
		}
		return Objects.requireNonNullElse(ports.get(0).getName(), "");
	}

	/**
	 * The slice port a selector names: a port name, a target port number, or the
	 * Service's own port number mapped to its name.
	 */
	private static @Nullable EndpointPort port(Service service, List<EndpointPort> ports, String selector) {
		List<EndpointPort> tcp = ports.stream()
			.filter(port -> port.getPort() != null && (port.getProtocol() == null || "TCP".equals(port.getProtocol())))
			.toList();
		if (selector.isEmpty()) {
			return tcp.stream()
				.filter(port -> port.getName() == null || port.getName().isEmpty())
				.findFirst()
				.orElse((tcp.size() == 1) ? tcp.get(0) : null);
		}
		if (selector.chars().allMatch(Character::isDigit)) {
			int number = Integer.parseInt(selector);
			EndpointPort byNumber = tcp.stream().filter(port -> port.getPort() == number).findFirst().orElse(null);
			if (byNumber != null) {
				return byNumber;
			}
			List<ServicePort> servicePorts = (service.getSpec() != null && service.getSpec().getPorts() != null)
					? service.getSpec().getPorts() : List.of();
			String name = servicePorts.stream()
				.filter(port -> port.getPort() != null && port.getPort() == number)
				.map(port -> Objects.requireNonNullElse(port.getName(), ""))
				.findFirst()
				.orElse(null);
			return (name != null) ? port(service, ports, name) : null;
		}
		return tcp.stream().filter(port -> selector.equals(port.getName())).findFirst().orElse(null);
	}

}
