package dev.pulse;

import org.junit.jupiter.api.Test;

import org.springframework.modulith.core.ApplicationModules;

/**
 * Keeps the packages (application modules) free of cycles and of reaching into each
 * other's internals, so data keeps flowing one way: target, schedule, probe, health,
 * routing, api.
 */
class ModularityTest {

	@Test
	void modulesShouldBeFreeOfCyclesAndInternalAccess() {
		ApplicationModules.of(PulseApplication.class).verify();
	}

}
