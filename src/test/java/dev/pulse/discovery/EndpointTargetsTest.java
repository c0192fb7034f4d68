package dev.pulse.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import org.junit.jupiter.api.Test;

import dev.pulse.target.Target;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which endpoints and ports of a Service's slices become targets, and how they are named.
 */
class EndpointTargetsTest {

	private static final ProbeTemplate DEFAULT = new ProbeTemplate("/health", "http", List.of(), null, null, null, 100,
			false);

	@Test
	void theServicesFirstPortIsProbedOnEveryReadyOrTerminatingEndpoint() {
		EndpointSlice slice = slice("web-abc", "IPv4", endpoint("10.0.0.1", "web-0", true, false),
				endpoint("10.0.0.2", "web-1", false, false), endpoint("10.0.0.3", "web-2", false, true));
		List<AnnotationProblem> problems = new ArrayList<>();
		Map<String, EndpointTargets.Found> found = EndpointTargets.of(service(), List.of(slice), DEFAULT, problems);
		assertThat(problems).isEmpty();
		assertThat(found).containsOnlyKeys("web-web-0", "web-web-2");
		assertThat(found.get("web-web-0").url()).isEqualTo("http://10.0.0.1:8080/health");
		assertThat(found.get("web-web-0").discovery())
			.isEqualTo(new Target.Discovery("shop", "web-0", "node-1", "zone-a", "10.0.0.1", false));
		assertThat(found.get("web-web-2").discovery().terminating()).isTrue();
	}

	@Test
	void severalPortsGiveATargetEachWithThePortInTheName() {
		ProbeTemplate two = new ProbeTemplate("/", "http", List.of("http", "9090"), null, null, null, 100, false);
		List<AnnotationProblem> problems = new ArrayList<>();
		Map<String, EndpointTargets.Found> found = EndpointTargets.of(service(),
				List.of(slice("web-abc", "IPv4", endpoint("10.0.0.1", "web-0", true, false))), two, problems);
		assertThat(problems).isEmpty();
		assertThat(found).containsOnlyKeys("web-web-0-http", "web-web-0-9090");
		assertThat(found.get("web-web-0-9090").url()).as("9090 is the Service port of 'metrics'")
			.isEqualTo("http://10.0.0.1:9100/");
	}

	@Test
	void aServicePortNumberOrATargetPortNumberOrANameSelectsAPort() {
		for (String selector : List.of("80", "8080", "http")) {
			ProbeTemplate template = new ProbeTemplate("/", "http", List.of(selector), null, null, null, 100, false);
			Map<String, EndpointTargets.Found> found = EndpointTargets.of(service(),
					List.of(slice("web-abc", "IPv4", endpoint("10.0.0.1", "web-0", true, false))), template,
					new ArrayList<>());
			assertThat(found.get("web-web-0").url()).as(selector).isEqualTo("http://10.0.0.1:8080/");
		}
	}

	@Test
	void anUnknownPortIsAProblemNamingTheSlice() {
		ProbeTemplate grpc = new ProbeTemplate("/", "http", List.of("grpc"), null, null, null, 100, false);
		List<AnnotationProblem> problems = new ArrayList<>();
		assertThat(EndpointTargets.of(service(),
				List.of(slice("web-abc", "IPv4", endpoint("10.0.0.1", "web-0", true, false))), grpc, problems))
			.isEmpty();
		assertThat(problems).singleElement()
			.isEqualTo(new AnnotationProblem("pulse.dev/port", "EndpointSlice web-abc has no TCP port 'grpc'"));
	}

	@Test
	void dualStackProbesThePodOnceOverIPv4AndIPv6OnlyPodsInBrackets() {
		EndpointSlice v4 = slice("web-v4", "IPv4", endpoint("10.0.0.1", "web-0", true, false));
		EndpointSlice v6 = slice("web-v6", "IPv6", endpoint("fd00::1", "web-0", true, false),
				endpoint("fd00::2", "web-1", true, false));
		Map<String, EndpointTargets.Found> found = EndpointTargets.of(service(), List.of(v6, v4), DEFAULT,
				new ArrayList<>());
		assertThat(found.get("web-web-0").url()).isEqualTo("http://10.0.0.1:8080/health");
		assertThat(found.get("web-web-1").url()).isEqualTo("http://[fd00::2]:8080/health");
	}

	@Test
	void aServingCopyWinsOverATerminatingOneAndFqdnSlicesAreSkipped() {
		EndpointSlice old = slice("web-a", "IPv4", endpoint("10.0.0.1", "web-0", false, true));
		EndpointSlice moved = slice("web-b", "IPv4", endpoint("10.0.0.1", "web-0", true, false));
		EndpointSlice fqdn = slice("web-c", "FQDN", endpoint("db.example.com", "web-9", true, false));
		Map<String, EndpointTargets.Found> found = EndpointTargets.of(service(), List.of(old, moved, fqdn), DEFAULT,
				new ArrayList<>());
		assertThat(found).containsOnlyKeys("web-web-0");
		assertThat(found.get("web-web-0").discovery().terminating()).isFalse();
	}

	@Test
	void anEndpointWithoutAPodIsNamedByItsAddressAndAMissingReadyCountsAsReady() {
		EndpointSlice slice = slice("web-abc", "IPv4",
				new EndpointBuilder().withAddresses("10.0.0.9").withNewConditions().endConditions().build());
		Map<String, EndpointTargets.Found> found = EndpointTargets.of(service(), List.of(slice), DEFAULT,
				new ArrayList<>());
		assertThat(found).containsOnlyKeys("web-10.0.0.9");
		assertThat(found.get("web-10.0.0.9").discovery().pod()).isNull();
	}

	private static Service service() {
		return new ServiceBuilder().withNewMetadata()
			.withNamespace("shop")
			.withName("web")
			.endMetadata()
			.withNewSpec()
			.addNewPort()
			.withName("http")
			.withPort(80)
			.endPort()
			.addNewPort()
			.withName("metrics")
			.withPort(9090)
			.endPort()
			.endSpec()
			.build();
	}

	private static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint(String address, String pod,
			boolean ready, boolean terminating) {
		return new EndpointBuilder().withAddresses(address)
			.withNewConditions()
			.withReady(ready)
			.withTerminating(terminating)
			.endConditions()
			.withNewTargetRef()
			.withKind("Pod")
			.withName(pod)
			.endTargetRef()
			.withNodeName("node-1")
			.withZone("zone-a")
			.build();
	}

	private static EndpointSlice slice(String name, String type,
			io.fabric8.kubernetes.api.model.discovery.v1.Endpoint... endpoints) {
		return new EndpointSliceBuilder().withNewMetadata()
			.withNamespace("shop")
			.withName(name)
			.withLabels(Map.of("kubernetes.io/service-name", "web"))
			.endMetadata()
			.withAddressType(type)
			.addNewPort()
			.withName("http")
			.withPort(8080)
			.withProtocol("TCP")
			.endPort()
			.addNewPort()
			.withName("metrics")
			.withPort(9100)
			.withProtocol("TCP")
			.endPort()
			.withEndpoints(endpoints)
			.build();
	}

}
