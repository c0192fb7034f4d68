package dev.pulse.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Calls a running Pulse on loopback the way a client would: real HTTP, bounded waits. */
public final class ApiClient {

	private static final ObjectMapper json = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final int port;

	public ApiClient(int port) {
		this.port = port;
	}

	private @Nullable String token;

	/** Send {@code Authorization: Bearer token} with every request from now on. */
	public ApiClient withToken(String token) {
		ApiClient client = new ApiClient(this.port);
		client.token = token;
		return client;
	}

	public HttpResponse<String> get(String path) throws Exception {
		return send(request(path).GET().build());
	}

	public HttpResponse<String> put(String path, String body) throws Exception {
		return send(request(path).header("Content-Type", "application/json")
			.PUT(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	public HttpResponse<String> delete(String path) throws Exception {
		return send(request(path).DELETE().build());
	}

	public HttpResponse<String> post(String path, String body) throws Exception {
		return send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	/**
	 * Any request, as a hostile client could send it: any method, any content type (none
	 * when null), any body bytes (chunked when the publisher has no length).
	 */
	public HttpResponse<String> exchange(String method, String path, @Nullable String contentType,
			HttpRequest.BodyPublisher body) throws Exception {
		HttpRequest.Builder builder = request(path).method(method, body);
		return send((contentType != null) ? builder.header("Content-Type", contentType).build() : builder.build());
	}

	/** GET a path that must answer 200, as JSON. */
	public JsonNode getJson(String path) throws Exception {
		HttpResponse<String> response = get(path);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return json.readTree(response.body());
	}

	public static JsonNode parse(String body) {
		return json.readTree(body);
	}

	private HttpRequest.Builder request(String path) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10));
		return (this.token != null) ? builder.header("Authorization", "Bearer " + this.token) : builder;
	}

	private HttpResponse<String> send(HttpRequest request) throws Exception {
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
