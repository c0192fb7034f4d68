package dev.pulse.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The farm answers and records each probe with the member that sent it. */
class ProbeFarmTest {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private int get(ProbeFarm farm, String path, String member) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + farm.port() + path))
			.timeout(Duration.ofSeconds(5));
		if (member != null) {
			request.header("X-Pulse-Member", member);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
	}

	@Test
	void probesShouldBeAnsweredAndRecordedWithTheirMember() throws Exception {
		try (ProbeFarm farm = ProbeFarm.start("X-Pulse-Member", 100)) {
			long before = System.nanoTime();
			assertThat(get(farm, "/t/3", "r1")).isEqualTo(200);
			farm.failing(3, true);
			assertThat(get(farm, "/t/3", "r2")).isEqualTo(500);
			assertThat(get(farm, "/t/4", null)).isEqualTo(200);
			assertThat(get(farm, "/nothing", "r1")).isEqualTo(404);
			long after = System.nanoTime();

			ProbeHistory history = farm.log().snapshot();
			assertThat(history.targets()).containsExactly(3, 4);
			assertThat(history.probers(3, before, after)).containsExactly("r1", "r2");
			assertThat(history.probers(4, before, after)).containsExactly("?");
			assertThat(history.time(3, 0)).isBetween(before, history.time(3, 1));
			assertThat(history.memberName(history.memberAt(3, 1))).isEqualTo("r2");
			assertThat(farm.unknownRequests()).isEqualTo(1);
		}
	}

}
