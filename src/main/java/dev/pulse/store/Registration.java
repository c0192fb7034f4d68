package dev.pulse.store;

import java.time.Instant;

import dev.pulse.target.TargetProperties;

/**
 * One target registered over the API, as stored: its properties exactly as they were
 * accepted, not resolved against the defaults, so a change of defaults applies to it at
 * the next start.
 *
 * @param name the target's name
 * @param properties the target's properties as accepted
 * @param createdAt when the name was first registered (millisecond precision)
 * @param updatedAt when the registration was last replaced, or {@code createdAt}
 */
public record Registration(String name, TargetProperties properties, Instant createdAt, Instant updatedAt) {
}
