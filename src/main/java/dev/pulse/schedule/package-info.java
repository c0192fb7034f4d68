/**
 * When each target is probed: a fixed phase per target derived from its name, uniform
 * jitter, never two probes of one target in flight (an overrun skips and counts the next
 * slot), and a timing wheel per event loop that fires every due probe in one batch per
 * tick.
 */
@NullMarked
package dev.pulse.schedule;

import org.jspecify.annotations.NullMarked;
