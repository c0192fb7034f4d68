/**
 * One probe of one target: acquire a connection, send the request, read at most
 * {@code max-body-bytes} of the body, evaluate the conditions, and record a
 * {@link dev.pulse.probe.ProbeResult}, all within the target's deadline. A failing target
 * is a result with a {@link dev.pulse.probe.FailureReason}, never an exception. Also
 * keeps the last results of each target.
 */
@NullMarked
package dev.pulse.probe;

import org.jspecify.annotations.NullMarked;
