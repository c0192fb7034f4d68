/**
 * Who may change Pulse and where its probes may go: bearer tokens for the API (writes
 * always, reads when a read token is set) and the SSRF policy for targets registered over
 * the API.
 */
@NullMarked
package dev.pulse.security;

import org.jspecify.annotations.NullMarked;
