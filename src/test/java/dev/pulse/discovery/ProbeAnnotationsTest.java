package dev.pulse.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The pulse.dev annotations: defaults, every value spelled, and every problem named. */
class ProbeAnnotationsTest {

	@Test
	void onlyTrueOptsIn() {
		assertThat(ProbeAnnotations.optedIn(Map.of("pulse.dev/probe", "true"))).isTrue();
		assertThat(ProbeAnnotations.optedIn(Map.of("pulse.dev/probe", " TRUE "))).isTrue();
		assertThat(ProbeAnnotations.optedIn(Map.of("pulse.dev/probe", "yes"))).isFalse();
		assertThat(ProbeAnnotations.optedIn(Map.of())).isFalse();
		assertThat(ProbeAnnotations.optedIn(null)).isFalse();
	}

	@Test
	void unsetAnnotationsTakeTheDefaults() {
		List<AnnotationProblem> problems = new ArrayList<>();
		ProbeTemplate template = ProbeAnnotations.read(Map.of("pulse.dev/probe", "true"), problems);
		assertThat(problems).isEmpty();
		assertThat(template).isEqualTo(new ProbeTemplate("/", "http", List.of(), null, null, null, 100, false));
	}

	@Test
	void everyAnnotationIsRead() {
		List<AnnotationProblem> problems = new ArrayList<>();
		ProbeTemplate template = ProbeAnnotations.read(Map.of("pulse.dev/path", "/actuator/health?probe=1",
				"pulse.dev/port", "http, 9090", "pulse.dev/scheme", "HTTPS", "pulse.dev/interval", "1m30s",
				"pulse.dev/timeout", "PT2S", "pulse.dev/conditions", "[\"[STATUS] == 200\", \"[BODY].status == UP\"]",
				"pulse.dev/weight", "250", "pulse.dev/tls-insecure-skip-verify", "true"), problems);
		assertThat(problems).isEmpty();
		assertThat(template).isEqualTo(
				new ProbeTemplate("/actuator/health?probe=1", "https", List.of("http", "9090"), Duration.ofSeconds(90),
						Duration.ofSeconds(2), List.of("[STATUS] == 200", "[BODY].status == UP"), 250, true));
	}

	@Test
	void otherKindsOfProbeAreChosenByTheScheme() {
		List<AnnotationProblem> problems = new ArrayList<>();
		assertThat(ProbeAnnotations
			.read(Map.of("pulse.dev/scheme", "grpc", "pulse.dev/path", "/orders.v1.Orders"), problems)
			.scheme()).isEqualTo("grpc");
		assertThat(ProbeAnnotations.read(Map.of("pulse.dev/scheme", "TLS"), problems).scheme()).isEqualTo("tls");
		assertThat(problems).isEmpty();
		assertThat(ProbeAnnotations.read(Map.of("pulse.dev/scheme", "tcp", "pulse.dev/path", "/health"), problems))
			.isNull();
		assertThat(problems).singleElement()
			.extracting(AnnotationProblem::message)
			.isEqualTo("a tcp probe has no path");
	}

	@Test
	void everyBadAnnotationIsNamedAtOnce() {
		List<AnnotationProblem> problems = new ArrayList<>();
		ProbeTemplate template = ProbeAnnotations.read(
				Map.of("pulse.dev/path", "health", "pulse.dev/port", "HTTP!", "pulse.dev/scheme", "ftp",
						"pulse.dev/interval", "ten seconds", "pulse.dev/timeout", "-1s", "pulse.dev/conditions",
						"[STATUS] == 200", "pulse.dev/weight", "0", "pulse.dev/tls-insecure-skip-verify", "maybe"),
				problems);
		assertThat(template).isNull();
		assertThat(problems).extracting(AnnotationProblem::annotation)
			.containsExactlyInAnyOrder("pulse.dev/path", "pulse.dev/port", "pulse.dev/scheme", "pulse.dev/interval",
					"pulse.dev/timeout", "pulse.dev/conditions", "pulse.dev/weight",
					"pulse.dev/tls-insecure-skip-verify");
		assertThat(problems).filteredOn(problem -> problem.annotation().equals("pulse.dev/interval"))
			.singleElement()
			.extracting(AnnotationProblem::message)
			.asString()
			.contains("'ten seconds'");
	}

	@Test
	void portsMustBeNumbersInRangeOrNames() {
		for (String bad : List.of("0", "65536", "999999", "http,", "-http", "a_b")) {
			List<AnnotationProblem> problems = new ArrayList<>();
			assertThat(ProbeAnnotations.read(Map.of("pulse.dev/port", bad), problems)).as(bad).isNull();
			assertThat(problems).singleElement().extracting(AnnotationProblem::annotation).isEqualTo("pulse.dev/port");
		}
	}

	@Test
	void conditionsMustBeAJsonListOfStrings() {
		for (String bad : List.of("[]", "[null]", "{\"a\":1}", "\"[STATUS] == 200\"", "[1, 2]")) {
			List<AnnotationProblem> problems = new ArrayList<>();
			ProbeAnnotations.read(Map.of("pulse.dev/conditions", bad), problems);
			assertThat(problems).as(bad).extracting(AnnotationProblem::annotation).contains("pulse.dev/conditions");
		}
	}

}
