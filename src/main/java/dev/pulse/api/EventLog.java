package dev.pulse.api;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The ids and the bounded buffer of the event stream, and the decision of what a
 * (re)connecting client is sent first.
 * <p>
 * Ids stay unique and increasing across restarts: they count up from the start time in
 * milliseconds times {@value #IDS_PER_MILLISECOND}, so a restarted Pulse never reissues
 * an id a client has already seen. A {@code Last-Event-ID} that can no longer be resumed
 * (older than the buffer, from an earlier run, or never issued) gets an explicit
 * {@code reset} event instead of a silent gap. Not thread-safe: {@link EventHub} holds
 * its lock.
 */
final class EventLog {

	/**
	 * Ids a run may use per millisecond of its lifetime before it could meet the ids of
	 * the next run: a million events a second, far above what the stream sustains.
	 */
	static final long IDS_PER_MILLISECOND = 1000;

	private final ArrayDeque<Event> buffer = new ArrayDeque<>();

	private final int capacity;

	private long lastId;

	EventLog(long startMillis, int capacity) {
		this.lastId = startMillis * IDS_PER_MILLISECOND;
		this.capacity = capacity;
	}

	Event append(String type, Map<String, Object> data) {
		Event event = new Event(++this.lastId, type, data);
		this.buffer.addLast(event);
		if (this.buffer.size() > this.capacity) {
			this.buffer.removeFirst();
		}
		return event;
	}

	/**
	 * What a client is sent before the live events. Without {@code lastEventId}: every
	 * buffered event (the recent past). With one: the buffered events after it, or a
	 * single {@code reset} event when the events after it are no longer all buffered.
	 */
	List<Event> catchUp(@Nullable Long lastEventId) {
		if (lastEventId != null && !resumable(lastEventId)) {
			return List.of(reset(lastEventId));
		}
		List<Event> events = new ArrayList<>(this.buffer.size());
		for (Event event : this.buffer) {
			if (lastEventId == null || event.id() > lastEventId) {
				events.add(event);
			}
		}
		return events;
	}

	/**
	 * Whether every event after {@code lastEventId} is still buffered: the id is one this
	 * run issued (or the one just before its first) and not older than the buffer.
	 */
	private boolean resumable(long lastEventId) {
		return lastEventId >= oldest() - 1 && lastEventId <= this.lastId;
	}

	private long oldest() {
		Event first = this.buffer.peekFirst();
		return (first != null) ? first.id() : this.lastId + 1;
	}

	/**
	 * The event that tells a client its {@code Last-Event-ID} cannot be resumed. Its id
	 * is the latest one, so a client that reconnects after it resumes from the present.
	 */
	private Event reset(long lastEventId) {
		String why = (lastEventId > this.lastId) ? "was never issued by this Pulse"
				: "is older than the oldest buffered event";
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("reason", "Last-Event-ID " + lastEventId + " " + why
				+ "; events may have been missed: reread the state (GET /api/targets) and continue from here");
		data.put("requested", lastEventId);
		data.put("oldest", this.buffer.isEmpty() ? null : oldest());
		data.put("latest", this.lastId);
		return new Event(this.lastId, "reset", data);
	}

	/** One event: its id, its type and its JSON data. */
	record Event(long id, String type, Map<String, Object> data) {
	}

}
