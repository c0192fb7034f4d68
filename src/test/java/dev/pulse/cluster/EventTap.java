package dev.pulse.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A subscriber to one replica's {@code GET /api/events} that keeps every event (type,
 * data, arrival time) until {@link #close()}. Close it before the replica is stopped
 * gracefully: an open event stream holds a graceful shutdown up.
 */
final class EventTap implements AutoCloseable {

	record Event(String type, String data, long nanos) {

		/**
		 * The partitions the event names: its {@code partitions} array, or its
		 * {@code partition}; empty if it names none.
		 */
		List<Integer> partitions() {
			JsonNode json;
			try {
				json = Replica.JSON.readTree(this.data);
			}
			catch (RuntimeException ex) {
				return List.of();
			}
			if (json.path("partitions").isArray()) {
				return json.path("partitions").values().stream().map((node) -> node.asInt(-1)).toList();
			}
			if (json.path("partition").isNumber()) {
				return List.of(json.path("partition").asInt());
			}
			return List.of();
		}

	}

	private final List<Event> events = new CopyOnWriteArrayList<>();

	private final CountDownLatch connected = new CountDownLatch(1);

	private final Thread reader;

	private volatile @Nullable InputStream body;

	private volatile boolean closed;

	private EventTap(Replica replica) {
		this.reader = new Thread(() -> read(replica), "event-tap-" + replica.memberId());
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Subscribe, waiting up to 2 s for the response headers. Pulse may send them only
	 * with the first event (or keep-alive), so a stream that has not answered yet is no
	 * failure: it is subscribed, and nothing it sends is missed.
	 */
	static EventTap open(Replica replica) throws InterruptedException {
		EventTap tap = new EventTap(replica);
		tap.connected.await(2, TimeUnit.SECONDS);
		return tap;
	}

	private void read(Replica replica) {
		HttpRequest request = HttpRequest.newBuilder(replica.uri("/api/events"))
			.header("Accept", "text/event-stream")
			// An id never issued: Pulse answers with one reset event and then live events
			// only, instead of replaying its buffer of past events as to a new client.
			.header("Last-Event-ID", "0")
			.build();
		try {
			HttpResponse<InputStream> response = Replica.HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
			this.body = response.body();
			this.connected.countDown();
			BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
			String type = "message";
			StringBuilder data = new StringBuilder();
			for (String line = lines.readLine(); line != null && !this.closed; line = lines.readLine()) {
				if (line.isEmpty()) {
					if (data.length() > 0) {
						this.events.add(new Event(type, data.toString(), System.nanoTime()));
					}
					type = "message";
					data.setLength(0);
				}
				else if (line.startsWith("event:")) {
					type = line.substring("event:".length()).strip();
				}
				else if (line.startsWith("data:")) {
					data.append((data.length() > 0) ? "\n" : "").append(line.substring("data:".length()).strip());
				}
			}
		}
		catch (IOException ex) {
			// Closed, or the replica went away.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.connected.countDown();
		}
	}

	/** The events of a type that arrived in {@code [from, to)}. */
	List<Event> events(String type, long from, long to) {
		return this.events.stream()
			.filter((event) -> event.type().equals(type) && event.nanos() >= from && event.nanos() < to)
			.toList();
	}

	/** Partitions named by the events of a type in {@code [from, to)}. */
	int partitions(String type, long from, long to) {
		return events(type, from, to).stream().mapToInt((event) -> event.partitions().size()).sum();
	}

	@Override
	public void close() throws InterruptedException {
		this.closed = true;
		InputStream stream = this.body;
		if (stream != null) {
			try {
				stream.close();
			}
			catch (IOException ex) {
				// Closing anyway.
			}
		}
		this.reader.interrupt();
		this.reader.join(Duration.ofSeconds(5).toMillis());
	}

}
