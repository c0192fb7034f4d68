package dev.pulse.api;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/events}: the live event stream, resumable with {@code Last-Event-ID}.
 */
@RestController
class EventController {

	private final EventHub hub;

	EventController(EventHub hub) {
		this.hub = hub;
	}

	@GetMapping(path = "/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter events(@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId) {
		return this.hub.subscribe(parse(lastEventId));
	}

	private static @Nullable Long parse(@Nullable String lastEventId) {
		if (lastEventId == null || lastEventId.isBlank()) {
			return null;
		}
		try {
			return Long.parseLong(lastEventId.trim());
		}
		catch (NumberFormatException ex) {
			throw TargetWriteController.problem(HttpStatus.BAD_REQUEST, "Invalid Last-Event-ID",
					"Last-Event-ID must be an event id, not '" + lastEventId + "'");
		}
	}

}
