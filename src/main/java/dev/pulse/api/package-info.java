/**
 * The REST edge: reads targets and their results (JSON, problem+json on errors) and
 * answers Pulse's own {@code /heartbeat}. Only reads from the stages before it.
 */
@NullMarked
package dev.pulse.api;

import org.jspecify.annotations.NullMarked;
