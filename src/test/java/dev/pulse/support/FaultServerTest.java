package dev.pulse.support;

import static dev.pulse.support.FaultServer.closeEach;
import static dev.pulse.support.FaultServer.endlessChunked;
import static dev.pulse.support.FaultServer.gzipBomb;
import static dev.pulse.support.FaultServer.http10WithoutLength;
import static dev.pulse.support.FaultServer.informational;
import static dev.pulse.support.FaultServer.redirectLoop;
import static dev.pulse.support.FaultServer.resetOnAccept;
import static dev.pulse.support.FaultServer.trickleHead;
import static dev.pulse.support.FaultServer.truncatedChunked;
import static dev.pulse.support.FaultServer.closeIdleAfterFirstResponse;
import static dev.pulse.support.FaultServer.garbage;
import static dev.pulse.support.FaultServer.hangAfterAccept;
import static dev.pulse.support.FaultServer.hangAfterHeaders;
import static dev.pulse.support.FaultServer.healthy;
import static dev.pulse.support.FaultServer.hugeBody;
import static dev.pulse.support.FaultServer.hugeBodyWithoutLength;
import static dev.pulse.support.FaultServer.idleClose;
import static dev.pulse.support.FaultServer.resetAfterRequest;
import static dev.pulse.support.FaultServer.slow;
import static dev.pulse.support.FaultServer.status;
import static dev.pulse.support.FaultServer.trickle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(10)
class FaultServerTest {

	private static final Duration WAIT = Duration.ofSeconds(3);

	private static final String UP = "{\"status\":\"UP\"}";

	private static final String DOWN = "{\"status\":\"DOWN\"}";

	@Test
	void healthyAnswersUpAndKeepsOneConnectionForTwoRequests() throws Exception {
		try (FaultServer server = FaultServer.start(healthy())) {
			HttpClient client = httpClient();

			HttpResponse<String> first = client.send(get(server, "/health"), HttpResponse.BodyHandlers.ofString());
			HttpResponse<String> second = client.send(get(server, "/health"), HttpResponse.BodyHandlers.ofString());

			for (HttpResponse<String> response : List.of(first, second)) {
				assertThat(response.statusCode()).isEqualTo(200);
				assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
				assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
				assertThat(response.headers().firstValue("Content-Length")).hasValue("15");
				assertThat(response.body()).isEqualTo(UP);
			}
			assertThat(server.acceptedConnections()).isEqualTo(1);
			assertThat(server.requestsServed()).isEqualTo(2);
			assertThat(server.openConnections()).isEqualTo(1);
		}
	}

	@Test
	void urlAndPortPointAtLoopback() {
		try (FaultServer server = FaultServer.start(healthy())) {
			assertThat(server.port()).isBetween(1, 65535);
			assertThat(server.url("/health")).isEqualTo("http://127.0.0.1:" + server.port() + "/health");
		}
	}

	@Test
	void healthyConsumesRequestBodiesOfAnyMethod() throws Exception {
		try (FaultServer server = FaultServer.start(healthy()); Socket socket = connect(server)) {
			send(socket, "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
					+ "DELETE /b HTTP/1.1\r\nHost: x\r\n\r\n");

			RawResponse first = readResponse(socket.getInputStream());
			RawResponse second = readResponse(socket.getInputStream());

			assertThat(first.statusLine()).isEqualTo("HTTP/1.1 200 OK");
			assertThat(first.body()).isEqualTo(UP);
			assertThat(second.statusLine()).isEqualTo("HTTP/1.1 200 OK");
			assertThat(second.body()).isEqualTo(UP);
			assertThat(server.requestsServed()).isEqualTo(2);
		}
	}

	@Test
	void healthyClosesWhenTheRequestAsksForIt() throws Exception {
		try (FaultServer server = FaultServer.start(healthy()); Socket socket = connect(server)) {
			send(socket, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

			RawResponse response = readResponse(socket.getInputStream());

			assertThat(response.headers()).containsEntry("connection", "close");
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
		}
	}

	@Test
	void statusAnswersTheCodeWithADownBody() throws Exception {
		try (FaultServer server = FaultServer.start(status(503))) {
			HttpClient client = httpClient();

			HttpResponse<String> first = client.send(get(server, "/health"), HttpResponse.BodyHandlers.ofString());
			HttpResponse<String> second = client.send(get(server, "/health"), HttpResponse.BodyHandlers.ofString());

			assertThat(first.statusCode()).isEqualTo(503);
			assertThat(first.body()).isEqualTo(DOWN);
			assertThat(first.headers().firstValue("Content-Length")).hasValue("17");
			assertThat(second.statusCode()).isEqualTo(503);
			assertThat(server.acceptedConnections()).isEqualTo(1);
			assertThat(server.requestsServed()).isEqualTo(2);
		}
	}

	@Test
	void statusWithoutBodySendsNoBody() throws Exception {
		try (FaultServer server = FaultServer.start(status(204)); Socket socket = connect(server)) {
			send(socket, "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");

			// Both heads arrive back to back: a stray body would sit between them.
			String heads = readHead(socket.getInputStream()) + readHead(socket.getInputStream());

			assertThat(heads).isEqualTo("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
		}
	}

	@Test
	void closeEachNeedsOneConnectionPerRequest() throws Exception {
		try (FaultServer server = FaultServer.start(closeEach())) {
			HttpClient client = httpClient();

			HttpResponse<String> first = client.send(get(server, "/health"), HttpResponse.BodyHandlers.ofString());
			HttpResponse<String> second = client.send(get(server, "/health"), HttpResponse.BodyHandlers.ofString());

			for (HttpResponse<String> response : List.of(first, second)) {
				assertThat(response.statusCode()).isEqualTo(200);
				assertThat(response.headers().firstValue("Connection")).hasValue("close");
				assertThat(response.body()).isEqualTo(UP);
			}
			assertThat(server.acceptedConnections()).isEqualTo(2);
			assertThat(server.requestsServed()).isEqualTo(2);
			await().atMost(WAIT).until(() -> server.openConnections() == 0);
		}
	}

	@Test
	void slowDelaysEveryAnswer() throws Exception {
		Duration delay = Duration.ofMillis(400);
		try (FaultServer server = FaultServer.start(slow(delay))) {
			HttpClient client = httpClient();
			HttpRequest impatient = HttpRequest.newBuilder(URI.create(server.url("/health")))
				.timeout(Duration.ofMillis(100))
				.build();

			assertThatThrownBy(() -> client.send(impatient, HttpResponse.BodyHandlers.ofString()))
				.isInstanceOf(HttpTimeoutException.class);

			long start = System.nanoTime();
			HttpResponse<String> patient = client.send(get(server, "/health"), HttpResponse.BodyHandlers.ofString());
			Duration took = Duration.ofNanos(System.nanoTime() - start);

			assertThat(patient.statusCode()).isEqualTo(200);
			assertThat(patient.body()).isEqualTo(UP);
			assertThat(took).isGreaterThanOrEqualTo(delay);
			assertThat(server.requestsServed()).isEqualTo(2);
		}
	}

	@Test
	void hangAfterAcceptNeverAnswers() throws Exception {
		try (FaultServer server = FaultServer.start(hangAfterAccept()); Socket socket = connect(server)) {
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
			socket.setSoTimeout(200);

			assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class)
				.hasMessage("Read timed out");
			assertThat(server.acceptedConnections()).isEqualTo(1);
			assertThat(server.requestsServed()).isZero();
			assertThat(server.openConnections()).isEqualTo(1);
		}
	}

	@Test
	void hangAfterAcceptNoticesTheClientClosing() throws Exception {
		try (FaultServer server = FaultServer.start(hangAfterAccept())) {
			Socket socket = connect(server);
			await().atMost(WAIT).until(() -> server.openConnections() == 1);

			socket.close();

			await().atMost(WAIT).until(() -> server.openConnections() == 0);
			assertThat(server.acceptedConnections()).isEqualTo(1);
		}
	}

	@Test
	void hangAfterHeadersStallsInsideTheBody() throws Exception {
		try (FaultServer server = FaultServer.start(hangAfterHeaders()); Socket socket = connect(server)) {
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");

			String head = readHead(socket.getInputStream());
			socket.setSoTimeout(200);

			assertThat(head)
				.isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n");
			assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
			assertThat(server.requestsServed()).isEqualTo(1);
		}
	}

	@Test
	void trickleSendsAValidBodyOneByteAtATime() throws Exception {
		Duration perByte = Duration.ofMillis(1);
		try (FaultServer server = FaultServer.start(trickle(perByte)); Socket socket = connect(server)) {
			long start = System.nanoTime();
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");

			RawResponse response = readResponse(socket.getInputStream());
			Duration took = Duration.ofNanos(System.nanoTime() - start);

			assertThat(response.statusLine()).isEqualTo("HTTP/1.1 200 OK");
			assertThat(response.headers()).containsEntry("content-length", "1000");
			assertThat(response.body()).hasSize(1000).startsWith("{\"status\":\"UP\",\"pad\":\"").endsWith("\"}");
			// 999 pauses sit between the 1000 bytes.
			assertThat(took).isGreaterThanOrEqualTo(perByte.multipliedBy(999));
			assertThat(response.reads()).isGreaterThan(1);
		}
	}

	@Test
	void resetAfterRequestResetsTheConnection() throws Exception {
		try (FaultServer server = FaultServer.start(resetAfterRequest()); Socket socket = connect(server)) {
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");

			assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class)
				.hasMessage("Connection reset");
			assertThat(server.requestsServed()).isEqualTo(1);
			await().atMost(WAIT).until(() -> server.openConnections() == 0);
		}
	}

	@Test
	void garbageAnswersWithNonHttpBytesAndCloses() throws Exception {
		try (FaultServer server = FaultServer.start(garbage()); Socket socket = connect(server)) {
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");

			byte[] answer = socket.getInputStream().readAllBytes();

			byte[] prefix = "\u0000\u0001garbage\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
			assertThat(answer).hasSize(prefix.length + 64);
			assertThat(Arrays.copyOf(answer, prefix.length)).isEqualTo(prefix);
		}
	}

	@Test
	void garbageFailsAnHttpClient() {
		try (FaultServer server = FaultServer.start(garbage())) {
			assertThatThrownBy(() -> httpClient().send(get(server, "/health"), HttpResponse.BodyHandlers.ofString()))
				.isInstanceOf(ProtocolException.class)
				.hasMessageStartingWith("Invalid status line: ");
		}
	}

	@Test
	void hugeBodyStreamsExactlyTheAnnouncedBytes() throws Exception {
		long size = 10L * 1024 * 1024 + 7;
		try (FaultServer server = FaultServer.start(hugeBody(size)); Socket socket = connect(server)) {
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
			InputStream in = socket.getInputStream();

			String head = readHead(in);
			long received = in.readNBytes(Math.toIntExact(size)).length;
			socket.setSoTimeout(200);

			assertThat(head)
				.isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + size + "\r\n\r\n");
			assertThat(received).isEqualTo(size);
			// Nothing beyond the announced length: the connection is idle, waiting for
			// the next request.
			assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
		}
	}

	@Test
	void hugeBodyStopsQuietlyWhenTheClientGoesAway() throws Exception {
		try (FaultServer server = FaultServer.start(hugeBody(1L << 40))) {
			try (Socket socket = connect(server)) {
				send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
				assertThat(readHead(socket.getInputStream())).contains("Content-Length: 1099511627776\r\n");
				assertThat(socket.getInputStream().readNBytes(100_000)).hasSize(100_000);
			}

			await().atMost(WAIT).until(() -> server.openConnections() == 0);
			assertThat(server.acceptedConnections()).isEqualTo(1);
		}
	}

	@Test
	void hugeBodyWithoutLengthStreamsChunksOnAReusableConnection() throws Exception {
		int size = 3 * 64 * 1024 + 5; // three full chunks and a short one
		try (FaultServer server = FaultServer.start(hugeBodyWithoutLength(size))) {
			HttpClient client = httpClient();

			HttpResponse<byte[]> first = client.send(get(server, "/health"), HttpResponse.BodyHandlers.ofByteArray());
			HttpResponse<byte[]> second = client.send(get(server, "/health"), HttpResponse.BodyHandlers.ofByteArray());

			for (HttpResponse<byte[]> response : List.of(first, second)) {
				assertThat(response.statusCode()).isEqualTo(200);
				assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
				assertThat(response.headers().firstValue("Content-Length")).isEmpty();
				assertThat(response.body()).hasSize(size);
			}
			assertThat(server.acceptedConnections()).isEqualTo(1);
			assertThat(server.requestsServed()).isEqualTo(2);
		}
	}

	@Test
	void hugeBodyWithoutLengthFramesEveryChunk() throws Exception {
		try (FaultServer server = FaultServer.start(hugeBodyWithoutLength(64 * 1024 + 3));
				Socket socket = connect(server)) {
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
			InputStream in = socket.getInputStream();

			String head = readHead(in);
			String firstSize = readLine(in);
			in.readNBytes(64 * 1024);
			String afterFirst = readLine(in);
			String secondSize = readLine(in);
			String secondData = new String(in.readNBytes(3), StandardCharsets.ISO_8859_1);
			String afterSecond = readLine(in);
			String lastChunk = readLine(in) + "|" + readLine(in);

			assertThat(head)
				.isEqualTo("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
			assertThat(List.of(firstSize, afterFirst, secondSize, secondData, afterSecond, lastChunk))
				.containsExactly("10000", "", "3", "xxx", "", "0|");
		}
	}

	@Test
	void closeIdleAfterFirstResponseClosesWhenTheSecondRequestArrives() throws Exception {
		try (FaultServer server = FaultServer.start(closeIdleAfterFirstResponse()); Socket socket = connect(server)) {
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
			RawResponse first = readResponse(socket.getInputStream());

			assertThat(first.statusLine()).isEqualTo("HTTP/1.1 200 OK");
			assertThat(first.headers()).doesNotContainKey("connection");
			assertThat(first.body()).isEqualTo(UP);

			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");

			// A FIN, not an RST: the read ends cleanly instead of throwing "Connection
			// reset".
			assertThat(socket.getInputStream().read()).isEqualTo(-1);
			assertThat(server.acceptedConnections()).isEqualTo(1);
			assertThat(server.requestsServed()).isEqualTo(2);
		}
	}

	@Test
	void closeIdleAfterFirstResponseMakesTheJdkClientRetryAGetOnANewConnection() throws Exception {
		try (FaultServer server = FaultServer.start(closeIdleAfterFirstResponse())) {
			HttpClient client = httpClient();

			HttpResponse<String> first = client.send(get(server, "/health"), HttpResponse.BodyHandlers.ofString());
			HttpResponse<String> second = client.send(get(server, "/health"), HttpResponse.BodyHandlers.ofString());

			assertThat(first.statusCode()).isEqualTo(200);
			assertThat(second.statusCode()).isEqualTo(200);
			// The pooled connection was closed under the second request; the JDK retried
			// the idempotent GET.
			assertThat(server.acceptedConnections()).isEqualTo(2);
			assertThat(server.requestsServed()).isEqualTo(3);
		}
	}

	@Test
	void idleCloseKeepsABusyConnectionAndClosesAnIdleOne() throws Exception {
		Duration idle = Duration.ofMillis(300);
		try (FaultServer server = FaultServer.start(idleClose(idle)); Socket socket = connect(server)) {
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(readResponse(socket.getInputStream()).body()).isEqualTo(UP);

			Thread.sleep(100);
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(readResponse(socket.getInputStream()).body()).isEqualTo(UP);
			long lastResponse = System.nanoTime();

			assertThat(socket.getInputStream().read()).isEqualTo(-1);
			Duration idleFor = Duration.ofNanos(System.nanoTime() - lastResponse);

			// The server starts its clock just before the client sees the response; allow
			// that much skew.
			assertThat(idleFor).isBetween(idle.minusMillis(50), WAIT);
			assertThat(server.acceptedConnections()).isEqualTo(1);
			assertThat(server.requestsServed()).isEqualTo(2);
			await().atMost(WAIT).until(() -> server.openConnections() == 0);
		}
	}

	@Test
	void openConnectionsFollowsTheClientClosing() throws Exception {
		try (FaultServer server = FaultServer.start(healthy())) {
			Socket socket = connect(server);
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
			readResponse(socket.getInputStream());

			assertThat(server.openConnections()).isEqualTo(1);

			socket.close();

			await().atMost(WAIT).until(() -> server.openConnections() == 0);
			assertThat(server.acceptedConnections()).isEqualTo(1);
		}
	}

	@Test
	void refusedPortRefusesConnections() {
		int port = FaultServer.refusedPort();

		assertThat(port).isBetween(1, 65535);
		assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
	}

	static Stream<Arguments> blockingBehaviours() {
		return Stream.of(Arguments.of(slow(Duration.ofMinutes(1)), 1), Arguments.of(hangAfterAccept(), 0),
				Arguments.of(hangAfterHeaders(), 1), Arguments.of(trickle(Duration.ofMinutes(1)), 1),
				Arguments.of(hugeBody(1L << 40), 1), Arguments.of(hugeBodyWithoutLength(1L << 40), 1),
				Arguments.of(idleClose(Duration.ofMinutes(1)), 1), Arguments.of(healthy(), 1));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("blockingBehaviours")
	void closeEndsEveryThreadAndRefusesFurtherConnections(FaultServer.Behaviour behaviour, int requestsPerSocket)
			throws Exception {
		FaultServer server = FaultServer.start(behaviour);
		int port = server.port();
		List<Socket> clients = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				Socket socket = connect(server);
				clients.add(socket);
				// The client never reads, so hugeBody fills the socket buffers and blocks
				// in write.
				send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
			}
			await().atMost(WAIT)
				.until(() -> server.openConnections() == 3 && server.requestsServed() == 3 * requestsPerSocket);
			assertThat(serverThreads(port)).hasSize(4); // one acceptor, one per
														// connection

			long start = System.nanoTime();
			server.close();
			Duration took = Duration.ofNanos(System.nanoTime() - start);

			assertThat(took).isLessThan(Duration.ofSeconds(1));
			assertThat(serverThreads(port)).isEmpty();
			assertThat(server.openConnections()).isZero();
			assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
			for (Socket client : clients) {
				client.setSoTimeout(2000);
				assertThat(drainToEnd(client.getInputStream())).isTrue();
			}
		}
		finally {
			server.close();
			for (Socket client : clients) {
				client.close();
			}
		}
	}

	@Test
	void closeIsIdempotent() {
		FaultServer server = FaultServer.start(healthy());

		server.close();
		server.close();

		assertThat(serverThreads(server.port())).isEmpty();
	}

	@Test
	void factoriesRejectNonsense() {
		assertThatThrownBy(() -> status(101)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> status(600)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> slow(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> trickle(null)).isInstanceOf(NullPointerException.class);
		assertThatThrownBy(() -> hugeBody(-1)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> hugeBodyWithoutLength(-1)).isInstanceOf(IllegalArgumentException.class);
		assertThatThrownBy(() -> idleClose(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void openFileDescriptorsCountsNewSockets() throws Exception {
		assumeTrue(Fds.openFileDescriptors() >= 0, "/proc/self/fd is not available");
		int sockets = 16;
		// Other threads (HttpClient selectors awaiting GC) may close descriptors
		// meanwhile: retry a few times.
		List<Integer> deltas = new ArrayList<>();
		for (int attempt = 0; attempt < 5; attempt++) {
			int before = Fds.openFileDescriptors();
			List<ServerSocket> opened = new ArrayList<>();
			try {
				for (int i = 0; i < sockets; i++) {
					ServerSocket socket = new ServerSocket();
					opened.add(socket);
					socket.bind(new InetSocketAddress("127.0.0.1", 0));
				}
				deltas.add(Fds.openFileDescriptors() - before);
			}
			finally {
				for (ServerSocket socket : opened) {
					socket.close();
				}
			}
			if (deltas.get(deltas.size() - 1) == sockets) {
				break;
			}
		}
		assertThat(deltas).contains(sockets);
	}

	@Test
	void gzipOfZerosIsAValidGzipStreamAThousandTimesSmaller() throws Exception {
		long expanded = 64L * 1024 * 1024;
		byte[] gzip = FaultServer.gzipOfZeros(expanded);

		long total = 0;
		boolean allZero = true;
		try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
			byte[] buffer = new byte[64 * 1024];
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				total += n;
				for (int i = 0; i < n && allZero; i++) {
					allZero = buffer[i] == 0;
				}
			}
		}

		assertThat(total).isEqualTo(expanded);
		assertThat(allZero).isTrue();
		assertThat(gzip.length).isLessThan((int) (expanded / 1000));
	}

	@Test
	void gzipBombAnswersGzipWithoutBeingAsked() throws Exception {
		try (FaultServer server = FaultServer.start(gzipBomb(1024 * 1024)); Socket socket = connect(server)) {
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");

			String head = readHead(socket.getInputStream());

			assertThat(head).startsWith("HTTP/1.1 200 OK\r\n")
				.contains("Content-Encoding: gzip\r\n", "Transfer-Encoding: chunked\r\n");
			assertThat(server.lastRequestHead()).isEqualTo("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
		}
	}

	@Test
	void informationalSendsInterimHeadsBeforeTheFinalResponse() throws Exception {
		try (FaultServer server = FaultServer.start(informational(100, 103)); Socket socket = connect(server)) {
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");

			String continueHead = readHead(socket.getInputStream());
			String hintsHead = readHead(socket.getInputStream());
			RawResponse response = readResponse(socket.getInputStream());

			assertThat(continueHead).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
			assertThat(hintsHead)
				.isEqualTo("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n");
			assertThat(response.statusLine()).isEqualTo("HTTP/1.1 200 OK");
			assertThat(response.body()).isEqualTo(UP);
		}
	}

	@Test
	void http10WithoutLengthEndsTheBodyAtTheClose() throws Exception {
		try (FaultServer server = FaultServer.start(http10WithoutLength()); Socket socket = connect(server)) {
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");

			String head = readHead(socket.getInputStream());
			String body = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

			assertThat(head).isEqualTo("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n");
			assertThat(body).isEqualTo(UP);
		}
	}

	@Test
	void redirectLoopRedirectsEveryRequestOnOneConnection() throws Exception {
		try (FaultServer server = FaultServer.start(redirectLoop()); Socket socket = connect(server)) {
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /loop HTTP/1.1\r\nHost: x\r\n\r\n");

			for (int i = 0; i < 2; i++) {
				RawResponse response = readResponse(socket.getInputStream());
				assertThat(response.statusLine()).isEqualTo("HTTP/1.1 302 Found");
				assertThat(response.headers()).containsEntry("location", "/loop");
			}
			assertThat(server.acceptedConnections()).isEqualTo(1);
		}
	}

	@Test
	void truncatedChunkedClosesInsideTheBody() throws Exception {
		try (FaultServer server = FaultServer.start(truncatedChunked()); Socket socket = connect(server)) {
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");

			String head = readHead(socket.getInputStream());
			String rest = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

			assertThat(head).contains("Transfer-Encoding: chunked\r\n");
			assertThat(rest).isEqualTo("7\r\n{\"statu\r\n");
		}
	}

	@Test
	void endlessChunkedKeepsSendingSmallChunks() throws Exception {
		try (FaultServer server = FaultServer.start(endlessChunked(Duration.ofMillis(1)));
				Socket socket = connect(server)) {
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");

			readHead(socket.getInputStream());
			for (int i = 0; i < 20; i++) {
				assertThat(readLine(socket.getInputStream())).isEqualTo("10");
				assertThat(readLine(socket.getInputStream())).isEqualTo("{\"tick\":\"....\"}\n");
			}
		}
	}

	@Test
	void trickleHeadSendsTheHeadOneByteAtATime() throws Exception {
		try (FaultServer server = FaultServer.start(trickleHead(Duration.ofMillis(2)));
				Socket socket = connect(server)) {
			send(socket, "GET /health HTTP/1.1\r\nHost: x\r\n\r\n");

			RawResponse response = readResponse(socket.getInputStream());

			assertThat(response.statusLine()).isEqualTo("HTTP/1.1 200 OK");
			assertThat(response.body()).isEqualTo(UP);
		}
	}

	@Test
	void resetOnAcceptResetsBeforeAnyRequest() throws Exception {
		try (FaultServer server = FaultServer.start(resetOnAccept()); Socket socket = connect(server)) {
			assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class)
				.hasMessage("Connection reset");
			assertThat(server.requestsServed()).isZero();
		}
	}

	@Test
	void tlsServesTheBehaviourOverHttps() throws Exception {
		TestCertificates authority = TestCertificates.authority();
		try (FaultServer server = FaultServer.start(healthy(), authority.valid("127.0.0.1").serverContext())) {
			KeyStore trust = KeyStore.getInstance("PKCS12");
			trust.load(null, null);
			trust.setCertificateEntry("ca", authority.certificate());
			TrustManagerFactory trustManagers = TrustManagerFactory
				.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(trust);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trustManagers.getTrustManagers(), null);
			HttpClient client = HttpClient.newBuilder()
				.version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Duration.ofSeconds(2))
				.sslContext(context)
				.build();

			HttpResponse<String> response = client.send(get(server, "/health"), HttpResponse.BodyHandlers.ofString());

			assertThat(server.url("/health")).isEqualTo("https://127.0.0.1:" + server.port() + "/health");
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).isEqualTo(UP);
		}
	}

	// ---------------------------------------------------------------------------------------------

	private static HttpClient httpClient() {
		return HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
	}

	private static HttpRequest get(FaultServer server, String path) {
		return HttpRequest.newBuilder(URI.create(server.url(path))).timeout(WAIT).build();
	}

	private static Socket connect(FaultServer server) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 2000);
		// Bounds every raw read in these tests; tests that expect a timeout lower it.
		socket.setSoTimeout(3000);
		return socket;
	}

	private static void send(Socket socket, String request) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write(request.getBytes(StandardCharsets.ISO_8859_1));
		out.flush();
	}

	private static List<Thread> serverThreads(int port) {
		String prefix = "fault-server-" + port + "-";
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(thread -> thread.getName().startsWith(prefix) && thread.isAlive())
			.toList();
	}

	/**
	 * Reads until end of stream; a reset also counts as the end, since the server may
	 * close with unread bytes.
	 */
	private static boolean drainToEnd(InputStream in) throws IOException {
		byte[] sink = new byte[64 * 1024];
		try {
			while (in.read(sink) >= 0) {
				// discard
			}
			return true;
		}
		catch (SocketException e) {
			return e.getMessage().equals("Connection reset");
		}
	}

	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (true) {
			int b = in.read();
			if (b < 0) {
				throw new EOFException("end of stream inside a response head: " + head);
			}
			head.write(b);
			byte[] bytes = head.toByteArray();
			int n = bytes.length;
			if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r'
					&& bytes[n - 1] == '\n') {
				return head.toString(StandardCharsets.ISO_8859_1);
			}
		}
	}

	/** One CRLF-terminated line, without the CRLF. */
	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int previous = -1;
		while (true) {
			int b = in.read();
			if (b < 0) {
				throw new EOFException("end of stream inside a line: " + line);
			}
			if (previous == '\r' && b == '\n') {
				byte[] bytes = line.toByteArray();
				return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
			}
			line.write(b);
			previous = b;
		}
	}

	private static RawResponse readResponse(InputStream in) throws IOException {
		String head = readHead(in);
		String[] lines = head.split("\r\n");
		Map<String, String> headers = new LinkedHashMap<>();
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
			headers.put(name, lines[i].substring(colon + 1).trim());
		}
		int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
		byte[] body = new byte[length];
		int filled = 0;
		int reads = 0;
		while (filled < length) {
			int n = in.read(body, filled, length - filled);
			if (n < 0) {
				throw new EOFException("end of stream after " + filled + " of " + length + " body bytes");
			}
			filled += n;
			reads++;
		}
		return new RawResponse(lines[0], headers, new String(body, StandardCharsets.ISO_8859_1), reads);
	}

	private record RawResponse(String statusLine, Map<String, String> headers, String body, int reads) {
	}

}
