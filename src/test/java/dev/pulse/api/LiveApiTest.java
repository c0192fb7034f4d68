package dev.pulse.api;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.BeforeEach;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import dev.pulse.support.ApiClient;

/** A test of a running Pulse on a random port, called over real HTTP on loopback. */
abstract class LiveApiTest {

	@LocalServerPort
	protected int port;

	protected ApiClient api;

	@BeforeEach
	void client() {
		this.api = new ApiClient(this.port);
	}

	protected HttpResponse<String> get(String path) throws Exception {
		return this.api.get(path);
	}

	protected JsonNode getJson(String path) throws Exception {
		return this.api.getJson(path);
	}

}
