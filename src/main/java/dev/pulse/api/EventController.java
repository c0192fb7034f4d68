package dev.pulse.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

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
@Tag(name = "events", description = "The live event stream")
class EventController {

	private final EventHub hub;

	EventController(EventHub hub) {
		this.hub = hub;
	}

	@Operation(summary = "Server-sent events: target-state, target-registered, target-updated, target-removed",
			description = "Without Last-Event-ID the buffer of the last 1000 events is replayed first; with it, the buffered events after it, "
					+ "or one reset event when it is older than the buffer or from an earlier run. "
					+ "Ids increase across restarts; a comment every 15 s keeps the stream open")
	@ApiResponse(responseCode = "200", description = "The stream",
			content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
					schema = @Schema(type = "string", description = "id, event and data lines; data is JSON")))
	@ApiResponse(responseCode = "400", description = "Last-Event-ID is not an event id (problem+json)")
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
			throw Problems.of(HttpStatus.BAD_REQUEST, "Invalid Last-Event-ID",
					"Last-Event-ID must be an event id, not '" + lastEventId + "'");
		}
	}

}
