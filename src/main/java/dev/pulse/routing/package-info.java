/**
 * Routing: a score and a weight per target from its health, latency and errors, each with
 * an explanation; eligibility thresholds, slow start and panic mode per service; and the
 * weighted pick that tells a caller which endpoint to use.
 */
@NullMarked
package dev.pulse.routing;

import org.jspecify.annotations.NullMarked;
