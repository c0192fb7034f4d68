package dev.pulse.health;

import java.time.Instant;

/**
 * One state change of a target.
 *
 * @param at when it changed
 * @param from the state before
 * @param to the state after
 * @param reason why, such as {@code 3 consecutive failures (timeout)}
 */
public record StateChange(Instant at, HealthState from, HealthState to, String reason) {
}
