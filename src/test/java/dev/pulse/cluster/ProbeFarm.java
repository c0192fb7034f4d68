package dev.pulse.cluster;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The targets of every replica: one loopback HTTP server in the test JVM (reactor-netty,
 * non-blocking, so 300 probes a second cost little of the 2 cores) that answers
 * {@code GET /t/<id>} with 200, or 500 for ids switched to failing, and records each
 * request's target, identify header and arrival time in a {@link FarmLog}.
 */
final class ProbeFarm implements AutoCloseable {

	/** Target ids run from 0 to this, exclusive. */
	static final int MAX_TARGETS = 4096;

	private final String header;

	private final FarmLog log;

	private final AtomicIntegerArray failing = new AtomicIntegerArray(MAX_TARGETS);

	private final AtomicInteger unknown = new AtomicInteger();

	private final DisposableServer server;

	private ProbeFarm(String header, int capacity) {
		this.header = header;
		this.log = new FarmLog(capacity);
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle(this::handle)
			.bindNow(Duration.ofSeconds(10));
	}

	/**
	 * Start a farm.
	 * @param header the identify header that names the member that probed
	 * @param capacity the most probes the log keeps
	 */
	static ProbeFarm start(String header, int capacity) {
		return new ProbeFarm(header, capacity);
	}

	private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
		long nanos = System.nanoTime();
		int target = target(request.path());
		if (target < 0) {
			this.unknown.incrementAndGet();
			return response.status(HttpResponseStatus.NOT_FOUND).send();
		}
		this.log.record(target, request.requestHeaders().get(this.header), nanos);
		boolean down = this.failing.get(target) != 0;
		return response.status(down ? HttpResponseStatus.INTERNAL_SERVER_ERROR : HttpResponseStatus.OK)
			.header("Content-Type", "text/plain")
			.sendString(Mono.just(down ? "failing" : "ok"));
	}

	/** The id of {@code t/<id>} (reactor-netty's path has no leading slash), or -1. */
	private static int target(String path) {
		String prefix = path.startsWith("/") ? "/t/" : "t/";
		if (!path.startsWith(prefix)) {
			return -1;
		}
		try {
			int id = Integer.parseInt(path.substring(prefix.length()));
			return (id >= 0 && id < MAX_TARGETS) ? id : -1;
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	int port() {
		return this.server.port();
	}

	String url(int target) {
		return "http://127.0.0.1:" + port() + "/t/" + target;
	}

	/** Answer 500 (failing) or 200 to a target from now on. */
	void failing(int target, boolean failing) {
		this.failing.set(target, failing ? 1 : 0);
	}

	FarmLog log() {
		return this.log;
	}

	/** Requests to paths that are no target: a wrong URL in a test. */
	int unknownRequests() {
		return this.unknown.get();
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

}
