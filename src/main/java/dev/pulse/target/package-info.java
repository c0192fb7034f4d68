/**
 * The target model: what Pulse probes. Owns the binding of {@code pulse.targets.*} and
 * {@code pulse.defaults.*}, the resolution of each target's settings against the defaults
 * into one immutable {@link dev.pulse.target.Target}, and the
 * {@link dev.pulse.target.TargetRegistry} that every later stage (scheduler, prober, API)
 * reads the set of targets from.
 */
@NullMarked
package dev.pulse.target;

import org.jspecify.annotations.NullMarked;
