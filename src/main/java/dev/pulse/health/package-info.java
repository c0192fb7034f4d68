/**
 * Health states per target, from probe results: rise and fall thresholds as in Envoy and
 * HAProxy, a latency EWMA and an error rate over a window, a degraded state between
 * healthy and unhealthy, and a bounded history of every state change. Also decides how
 * soon a changing or failing target is probed again.
 */
@NullMarked
package dev.pulse.health;

import org.jspecify.annotations.NullMarked;
