package dev.pulse.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.pulse.store.SkippedRegistrations;

/** Stored registrations that were not loaded at start-up, and why. */
@RestController
@Tag(name = "targets")
class RegistrationController {

	private final SkippedRegistrations skipped;

	RegistrationController(SkippedRegistrations skipped) {
		this.skipped = skipped;
	}

	@Operation(summary = "Stored registrations not loaded at start-up, with the reason",
			description = "reason invalid (no longer passes validation) or shadowed-by-config; DELETE /api/targets/{name} removes an invalid one from the store, a valid PUT replaces it")
	@GetMapping("/api/registrations/invalid")
	Registrations invalid() {
		return new Registrations(this.skipped.all());
	}

	/**
	 * The skipped registrations, in name order.
	 *
	 * @param registrations each with its name, reason and detail
	 */
	record Registrations(List<SkippedRegistrations.Skipped> registrations) {
	}

}
