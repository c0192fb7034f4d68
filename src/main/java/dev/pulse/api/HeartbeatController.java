package dev.pulse.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Pulse's own heartbeat: a cheap {@code 200 {"status":"UP"}} that the embedded default
 * target probes, so a first run shows live results with nothing else running.
 */
@RestController
@Tag(name = "heartbeat")
class HeartbeatController {

	private static final Map<String, String> UP = Map.of("status", "UP");

	@Operation(summary = "Pulse's own heartbeat: 200 {\"status\":\"UP\"}")
	@GetMapping("/heartbeat")
	Map<String, String> heartbeat() {
		return UP;
	}

}
