package dev.pulse.discovery;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;

/** Builders of the Services and EndpointSlices the discovery tests create. */
final class Kube {

	private Kube() {
	}

	/** A Service with one TCP port named {@code http} and the annotations given. */
	static Service service(String namespace, String name, Map<String, String> annotations) {
		return new ServiceBuilder().withNewMetadata()
			.withNamespace(namespace)
			.withName(name)
			.withLabels(Map.of("team", "pulse"))
			.withAnnotations(new LinkedHashMap<>(annotations))
			.endMetadata()
			.withNewSpec()
			.addNewPort()
			.withName("http")
			.withPort(80)
			.withProtocol("TCP")
			.endPort()
			.endSpec()
			.build();
	}

	/** Opt-in annotations: probe {@code /health} every 200 ms. */
	static Map<String, String> probed() {
		Map<String, String> annotations = new LinkedHashMap<>();
		annotations.put("pulse.dev/probe", "true");
		annotations.put("pulse.dev/path", "/health");
		annotations.put("pulse.dev/interval", "200ms");
		annotations.put("pulse.dev/timeout", "150ms");
		annotations.put("pulse.dev/conditions", "[\"[STATUS] == 200\", \"[BODY].status == UP\"]");
		return annotations;
	}

	/** One endpoint of a slice. */
	record Pod(String name, boolean ready, boolean terminating) {

		static Pod ready(String name) {
			return new Pod(name, true, false);
		}

		Endpoint endpoint() {
			return new EndpointBuilder().withAddresses("127.0.0.1")
				.withNewConditions()
				.withReady(this.ready)
				.withServing(this.ready || this.terminating)
				.withTerminating(this.terminating)
				.endConditions()
				.withNewTargetRef()
				.withKind("Pod")
				.withName(this.name)
				.endTargetRef()
				.withNodeName("node-a")
				.withZone("zone-1")
				.build();
		}

	}

	/**
	 * An EndpointSlice of a Service: every pod at 127.0.0.1 on the port given, named
	 * {@code http}.
	 */
	static EndpointSlice slice(String namespace, String service, String name, int port, List<Pod> pods) {
		List<Endpoint> endpoints = new ArrayList<>();
		pods.forEach(pod -> endpoints.add(pod.endpoint()));
		return new EndpointSliceBuilder().withNewMetadata()
			.withNamespace(namespace)
			.withName(name)
			.withLabels(Map.of("kubernetes.io/service-name", service))
			.endMetadata()
			.withAddressType("IPv4")
			.addNewPort()
			.withName("http")
			.withPort(port)
			.withProtocol("TCP")
			.endPort()
			.withEndpoints(endpoints)
			.build();
	}

}
