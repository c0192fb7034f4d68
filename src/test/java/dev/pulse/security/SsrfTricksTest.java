package dev.pulse.security;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.pulse.support.ApiClient;
import dev.pulse.support.FaultServer;
import dev.pulse.support.LoopbackDns;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end proof that no SSRF trick reaches a denied address: a canary server on
 * {@code 127.0.0.2} (denied: only {@code 127.0.0.1/32} is allowed, the default deny list
 * holds {@code 127.0.0.0/8}) counts every TCP connection it accepts, and targets
 * registered through the REST API try to reach it by every spelling, by name, through a
 * redirect from an allowed server, and through a name rebound from the allowed address to
 * the canary. Each attempt must be refused at registration (4xx problem+json) or probed
 * as {@code blocked}, and the canary must accept nothing. Names resolve through a
 * {@link LoopbackDns} server that Pulse asks instead of the system's
 * ({@code pulse.transport.dns.servers}), so the rebinding is a real one, on loopback.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "pulse.api.write-token=s3cret", "pulse.security.ssrf.allow=127.0.0.1/32",
				"pulse.transport.follow-redirects=true", "pulse.limits.min-interval=100ms" })
@ActiveProfiles("test")
class SsrfTricksTest {

	private static final LoopbackDns dns = LoopbackDns.start();

	/**
	 * The allowed twin: {@code 127.0.0.1} on the canary's port, so a rebound name changes
	 * only its address. It closes every connection after answering, so each probe
	 * connects (and resolves) anew instead of reusing a pooled connection.
	 */
	private static final FaultServer twin = FaultServer.start(FaultServer.closeEach());

	private static final Canary canary = Canary.on(twin.port());

	private static final int PORT = twin.port();

	private static final WireMockServer redirector = new WireMockServer(
			options().bindAddress("127.0.0.1").dynamicPort());

	@LocalServerPort
	private int port;

	private ApiClient api;

	private final List<String> registered = new ArrayList<>();

	private int canaryBefore;

	@DynamicPropertySource
	static void nameServers(DynamicPropertyRegistry registry) {
		registry.add("pulse.transport.dns.servers", dns::server);
	}

	@BeforeEach
	void client() {
		this.api = new ApiClient(this.port).withToken("s3cret");
		this.canaryBefore = canary.accepted();
		if (!redirector.isRunning()) {
			redirector.start();
		}
	}

	@AfterEach
	void canaryShouldHaveSeenNothing() throws Exception {
		for (String name : this.registered) {
			this.api.delete("/api/targets/" + name);
		}
		assertThat(canary.accepted() - this.canaryBefore).as("connections the canary on 127.0.0.2 accepted").isZero();
	}

	@AfterAll
	static void stopServers() {
		try {
			assertThat(canary.accepted()).as("connections the canary accepted in all").isZero();
		}
		finally {
			redirector.stop();
			canary.close();
			twin.close();
			dns.close();
		}
	}

	/** Every literal spelling of the canary, and URL tricks around one. */
	static Stream<String> literalUrls() {
		return Stream
			.of("127.0.0.2", "127.0.0.2.", "[::ffff:127.0.0.2]", "[::ffff:7f00:2]", "[0:0:0:0:0:ffff:7f00:0002]",
					"[::ffff:127.0.0.2%25lo]", "2130706434", "0x7f000002", "0X7F000002", "0x7f.0.0.2", "0x7f.2",
					"0177.0.0.2", "017700000002", "127.000.000.002", "127.2", "127.0.2", "%31%32%37.0.0.2")
			.map(host -> "http://" + host + ":" + PORT + "/canary");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("literalUrls")
	void everySpellingOfTheCanaryShouldBeRefusedAtRegistration(String url) throws Exception {
		HttpResponse<String> response = register("literal", url);

		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode errors = ApiClient.parse(response.body()).path("errors");
		assertThat(errors.findValuesAsString("field")).containsExactly("url");
		assertThat(this.api.get("/api/targets/literal").statusCode()).as("nothing was registered").isEqualTo(404);
	}

	@Test
	void denialsShouldNameTheCanaryWhateverTheSpelling() throws Exception {
		// The spellings Java's URI reads as a host reach the SSRF check, which names the
		// address; the others fail earlier, as URLs without a host.
		assertThat(urlError("http://0x7f000002:" + PORT + "/"))
			.isEqualTo("address 127.0.0.2 (written 0x7f000002) is in a denied range (127.0.0.0/8)");
		assertThat(urlError("http://[::ffff:7f00:2]:" + PORT + "/"))
			.isEqualTo("address 127.0.0.2 (written [::ffff:7f00:2]) is in a denied range (127.0.0.0/8)");
		assertThat(urlError("http://017700000002:" + PORT + "/"))
			.isEqualTo("address 127.0.0.2 (written 017700000002) is in a denied range (127.0.0.0/8)");
		assertThat(urlError("http://127.2:" + PORT + "/"))
			.contains("must be an http, https, tcp, tls, grpc or grpcs URL with a host");
		// Leading zeros: octal to inet_aton, decimal to the resolver probes go through.
		// Either reading that is denied refuses the URL.
		assertThat(urlError("http://127.0.0.09:" + PORT + "/"))
			.isEqualTo("address 127.0.0.9 (written 127.0.0.09) is in a denied range (127.0.0.0/8)");
	}

	@Test
	void userInfoShouldNotHideTheCanary() throws Exception {
		// The host is what follows the last '@'; a parser that took the first would
		// probe the allowed address.
		HttpResponse<String> response = register("userinfo",
				"http://127.0.0.1:" + PORT + "@127.0.0.2:" + PORT + "/canary");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "canary.pulse.test", "canary.pulse.test.", "CANARY.Pulse.Test" })
	void namesOfTheCanaryShouldBeBlockedAtProbeTime(String name) throws Exception {
		dns.answer("canary.pulse.test", "127.0.0.2");
		HttpResponse<String> created = register("named", "http://" + name + ":" + PORT + "/canary");
		assertThat(created.statusCode()).as("a host name passes registration: " + created.body()).isEqualTo(201);

		JsonNode latest = awaitLatest("named");
		HttpResponse<String> onDemand = this.api.post("/api/targets/named/probe", "");

		assertBlocked(latest, "127.0.0.2");
		assertThat(onDemand.statusCode()).as(onDemand.body()).isEqualTo(200);
		assertBlocked(ApiClient.parse(onDemand.body()), "127.0.0.2");
		assertThat(dns.queries("canary.pulse.test")).as("resolved through the test's DNS server").isPositive();
	}

	@ParameterizedTest(name = "302 to {0}")
	@ValueSource(strings = { "127.0.0.2", "[::ffff:127.0.0.2]", "[::ffff:7f00:2]", "canary.pulse.test" })
	void redirectFromAnAllowedServerToTheCanaryShouldBeBlocked(String host) throws Exception {
		dns.answer("canary.pulse.test", "127.0.0.2");
		String path = "/to-canary/" + Math.abs(host.hashCode());
		redirector.stubFor(get(path)
			.willReturn(aResponse().withStatus(302).withHeader("Location", "http://" + host + ":" + PORT + "/canary")));
		HttpResponse<String> created = register("redirected", "http://127.0.0.1:" + redirector.port() + path);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

		JsonNode latest = awaitLatest("redirected");

		assertBlocked(latest, "127.0.0.2");
		assertThat(redirector.countRequestsMatching(getRequestedFor(urlEqualTo(path)).build()).getCount())
			.as("the allowed server was asked, so the hop itself was blocked")
			.isPositive();
	}

	@Test
	void nameReboundFromTheAllowedAddressToTheCanaryShouldBeBlocked() throws Exception {
		dns.answer("rebind.pulse.test", "127.0.0.1");
		HttpResponse<String> created = register("rebound", "{\"url\": \"http://rebind.pulse.test:" + PORT
				+ "/health\", \"interval\": \"200ms\", " + "\"timeout\": \"150ms\"}");
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(latest("rebound").path("success").asBoolean())
				.as("probed at the allowed address first")
				.isTrue());
		assertThat(latest("rebound").path("ip").asString()).isEqualTo("127.0.0.1");

		int queriesBefore = dns.queries("rebind.pulse.test");
		Instant flipped = Instant.now();
		dns.answer("rebind.pulse.test", "127.0.0.2");

		// Several probes after the flip, each resolving the name again.
		await().atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(50))
			.until(() -> after(flipped).size() >= 3);
		List<JsonNode> afterwards = after(flipped);
		assertThat(afterwards).allSatisfy(result -> assertBlocked(result, "127.0.0.2"));
		assertThat(afterwards.get(0).path("error").asString()).startsWith("host rebind.pulse.test: ");
		assertThat(dns.queries("rebind.pulse.test") - queriesBefore).as("queries after the flip")
			.isGreaterThanOrEqualTo(3);
		assertThat(twin.acceptedConnections()).as("the allowed twin was reached before the flip").isPositive();
	}

	/** Results of {@code rebound} whose probe started after the flip, newest first. */
	private List<JsonNode> after(Instant flipped) throws Exception {
		List<JsonNode> results = new ArrayList<>();
		for (JsonNode result : this.api.getJson("/api/targets/rebound/results?limit=20").path("results")) {
			if (Instant.parse(result.path("timestamp").asString()).isAfter(flipped)) {
				results.add(result);
			}
		}
		return results;
	}

	private HttpResponse<String> register(String name, String urlOrBody) throws Exception {
		this.registered.add(name);
		String body = urlOrBody.startsWith("{") ? urlOrBody
				: "{\"url\": \"" + urlOrBody + "\", \"interval\": \"1s\", \"timeout\": \"500ms\"}";
		return this.api.put("/api/targets/" + name, body);
	}

	private String urlError(String url) throws Exception {
		HttpResponse<String> response = register("literal", url);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		return ApiClient.parse(response.body()).path("errors").get(0).path("message").asString();
	}

	private JsonNode latest(String name) throws Exception {
		return this.api.getJson("/api/targets/" + name).path("latest");
	}

	/** The first result, which the API shows as soon as it arrives (probed at once). */
	private JsonNode awaitLatest(String name) {
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> !latest(name).isNull());
		try {
			return latest(name);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void assertBlocked(JsonNode result, String address) {
		assertThat(result.path("success").asBoolean()).as(result.toString()).isFalse();
		assertThat(result.path("reason").asString()).as(result.toString()).isEqualTo("blocked");
		assertThat(result.path("error").asString()).as(result.toString())
			.contains("address " + address + " is in a denied range (127.0.0.0/8)");
		assertThat(result.path("status").isNull()).as(result.toString()).isTrue();
	}

	/**
	 * Counts every TCP connection accepted on {@code 127.0.0.2}, and answers 200 so that
	 * a probe that got through would show as a success, not as a failure.
	 */
	static final class Canary implements AutoCloseable {

		private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
			.getBytes(StandardCharsets.US_ASCII);

		private final ServerSocket socket;

		private final AtomicInteger accepted = new AtomicInteger();

		private final Thread thread;

		private Canary(ServerSocket socket) {
			this.socket = socket;
			this.thread = new Thread(this::acceptLoop, "canary-" + socket.getLocalPort());
			this.thread.setDaemon(true);
		}

		/**
		 * Listen on {@code 127.0.0.2:port}, then prove the count works with one
		 * connection of the test's own, and start again from zero.
		 */
		static Canary on(int port) {
			try {
				ServerSocket socket = new ServerSocket();
				socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port));
				Canary canary = new Canary(socket);
				canary.thread.start();
				try (Socket probe = new Socket()) {
					probe.connect(socket.getLocalSocketAddress(), 2000);
				}
				await().atMost(Duration.ofSeconds(2)).until(() -> canary.accepted.get() == 1);
				canary.accepted.set(0);
				return canary;
			}
			catch (IOException ex) {
				throw new IllegalStateException("cannot listen on 127.0.0.2:" + port, ex);
			}
		}

		int accepted() {
			return this.accepted.get();
		}

		private void acceptLoop() {
			while (!this.socket.isClosed()) {
				try (Socket connection = this.socket.accept()) {
					this.accepted.incrementAndGet();
					connection.setSoTimeout(500);
					OutputStream out = connection.getOutputStream();
					out.write(OK);
					out.flush();
				}
				catch (IOException ex) {
					// Closed, or the peer went away; the count is what matters.
				}
			}
		}

		@Override
		public void close() {
			try {
				this.socket.close();
				this.thread.join(2000);
			}
			catch (IOException ex) {
				// Closing anyway.
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
