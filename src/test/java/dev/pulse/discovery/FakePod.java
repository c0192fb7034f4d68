package dev.pulse.discovery;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP server standing for one pod: answers {@code {"status":"UP"}} on every
 * path and counts the probes it got, so a test sees that Pulse probes a pod, and stops.
 */
final class FakePod implements AutoCloseable {

	final String name;

	private final HttpServer server;

	private final AtomicInteger hits = new AtomicInteger();

	private volatile String lastPath = "";

	FakePod(String name) throws IOException {
		this.name = name;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
		this.server.setExecutor(Executors.newSingleThreadExecutor());
		this.server.createContext("/", exchange -> {
			this.hits.incrementAndGet();
			this.lastPath = exchange.getRequestURI().getPath();
			byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.server.start();
	}

	int port() {
		return this.server.getAddress().getPort();
	}

	int hits() {
		return this.hits.get();
	}

	String lastPath() {
		return this.lastPath;
	}

	@Override
	public void close() {
		this.server.stop(0);
		((java.util.concurrent.ExecutorService) this.server.getExecutor()).shutdownNow();
	}

}
