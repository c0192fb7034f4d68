package dev.pulse.api;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pulse.api.EventLog.Event;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Event ids across restarts, resuming with {@code Last-Event-ID}, and the {@code reset}
 * event.
 */
class EventLogTest {

	private static final long START = 1_764_900_000_000L;

	private static List<Long> ids(List<Event> events) {
		return events.stream().map(Event::id).toList();
	}

	@Test
	void aRestartShouldNeverReissueAnIdOfTheRunBefore() {
		EventLog before = new EventLog(START, 1000);
		Event last = null;
		for (int i = 0; i < 5000; i++) {
			last = before.append("target-state", Map.of());
		}
		// A restart 10 ms later, after 5,000 events: far more than a real run issues per
		// ms.
		EventLog after = new EventLog(START + 10, 1000);

		assertThat(after.append("target-state", Map.of()).id()).isGreaterThan(last.id());
	}

	@Test
	void withoutLastEventIdEveryBufferedEventIsReplayed() {
		EventLog log = new EventLog(START, 3);
		for (int i = 0; i < 5; i++) {
			log.append("target-state", Map.of());
		}

		assertThat(ids(log.catchUp(null))).hasSize(3).isSorted();
	}

	@Test
	void aBufferedIdShouldResumeAfterIt() {
		EventLog log = new EventLog(START, 10);
		Event first = log.append("a", Map.of());
		Event second = log.append("b", Map.of());
		Event third = log.append("c", Map.of());

		assertThat(ids(log.catchUp(first.id()))).containsExactly(second.id(), third.id());
		assertThat(log.catchUp(third.id())).isEmpty();
		// The id just before the first one of the buffer misses nothing either.
		assertThat(ids(log.catchUp(first.id() - 1))).containsExactly(first.id(), second.id(), third.id());
	}

	@Test
	void anIdOlderThanTheBufferShouldGetAReset() {
		EventLog log = new EventLog(START, 2);
		Event evicted = log.append("a", Map.of());
		log.append("b", Map.of());
		log.append("c", Map.of());
		Event latest = log.append("d", Map.of());

		List<Event> catchUp = log.catchUp(evicted.id());

		assertThat(catchUp).singleElement().satisfies(reset -> {
			assertThat(reset.type()).isEqualTo("reset");
			assertThat(reset.id()).isEqualTo(latest.id());
			assertThat(reset.data()).containsEntry("requested", evicted.id())
				.containsEntry("oldest", latest.id() - 1)
				.containsEntry("latest", latest.id());
			assertThat((String) reset.data().get("reason")).contains("older than the oldest buffered event");
		});
	}

	@Test
	void anIdOfAnEarlierRunShouldGetAResetEvenWithAnEmptyBuffer() {
		EventLog before = new EventLog(START, 10);
		Event seen = before.append("a", Map.of());
		EventLog after = new EventLog(START + 60_000, 10);

		assertThat(after.catchUp(seen.id())).singleElement()
			.satisfies(reset -> assertThat(reset.type()).isEqualTo("reset"));
		assertThat(after.catchUp(1L)).singleElement().satisfies(reset -> assertThat(reset.type()).isEqualTo("reset"));
	}

	@Test
	void anIdNeverIssuedShouldGetAReset() {
		EventLog log = new EventLog(START, 10);
		Event latest = log.append("a", Map.of());

		assertThat(log.catchUp(latest.id() + 1)).singleElement().satisfies(reset -> {
			assertThat(reset.type()).isEqualTo("reset");
			assertThat((String) reset.data().get("reason")).contains("never issued");
		});
	}

}
