package dev.pulse.discovery;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A loopback HTTP server standing for one pod: answers {@code {"status":"UP"}} on every
 * path and counts the probes it got, so a test sees that Pulse probes a pod, and stops.
 */
final class FakePod implements AutoCloseable {

	static final String MEMBER_HEADER = "X-Pulse-Member";

	final String name;

	private final HttpServer server;

	private final AtomicInteger hits = new AtomicInteger();

	private volatile String lastPath = "";

	/** Probes by the member id in {@code X-Pulse-Member}, when replicas send it. */
	private final Map<String, AtomicInteger> byMember = new ConcurrentHashMap<>();

	FakePod(String name) throws IOException {
		this.name = name;
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
		this.server.setExecutor(Executors.newSingleThreadExecutor());
		this.server.createContext("/", exchange -> {
			this.hits.incrementAndGet();
			this.lastPath = exchange.getRequestURI().getPath();
			String member = exchange.getRequestHeaders().getFirst(MEMBER_HEADER);
			if (member != null) {
				this.byMember.computeIfAbsent(member, key -> new AtomicInteger()).incrementAndGet();
			}
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

	/** The members that probed this pod since the last {@link #forgetMembers()}. */
	Set<String> members() {
		return Set.copyOf(this.byMember.keySet());
	}

	void forgetMembers() {
		this.byMember.clear();
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
