package dev.pulse.probe;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.pulse.condition.ConditionResult;
import dev.pulse.transport.PeerCertificate;

/**
 * The outcome of one probe. Field names are a stable JSON contract.
 *
 * @param timestamp when the probe started
 * @param success true when the exchange worked and every condition passed
 * @param status the HTTP status, or null when no response arrived
 * @param durationMs from start to the end of the body or the failure
 * @param phases where the time went
 * @param connectionReused whether the probe rode a pooled keep-alive connection
 * @param staleConnectionRetried whether a pooled connection turned out to be closed by
 * the peer before any response byte, so the probe was repeated once on a fresh connection
 * @param ip the peer's address, when a connection was made
 * @param bodyBytes response body bytes read
 * @param reason why the probe failed; null on success
 * @param error a short human message; null on success
 * @param conditions each condition with its verdict and Gatus-style explanation
 * @param attempts attempts in this probe cycle, retries included; this result is the last
 * @param certificate the TLS peer's certificate chain ({@code https}, {@code tls},
 * {@code grpcs}); null without TLS or when the handshake did not complete
 */
public record ProbeResult(Instant timestamp, boolean success, @Nullable Integer status, double durationMs,
		Phases phases, boolean connectionReused, boolean staleConnectionRetried, @Nullable String ip, long bodyBytes,
		@Nullable FailureReason reason, @Nullable String error, List<ConditionResult> conditions, int attempts,
		@Nullable PeerCertificate certificate) {

	public ProbeResult {
		conditions = List.copyOf(conditions);
	}

	/** A result without a certificate: no TLS, or a handshake that did not complete. */
	public ProbeResult(Instant timestamp, boolean success, @Nullable Integer status, double durationMs, Phases phases,
			boolean connectionReused, boolean staleConnectionRetried, @Nullable String ip, long bodyBytes,
			@Nullable FailureReason reason, @Nullable String error, List<ConditionResult> conditions, int attempts) {
		this(timestamp, success, status, durationMs, phases, connectionReused, staleConnectionRetried, ip, bodyBytes,
				reason, error, conditions, attempts, null);
	}

	/** This result as attempt {@code attempts} of its cycle. */
	ProbeResult withAttempts(int attempts) {
		return new ProbeResult(this.timestamp, this.success, this.status, this.durationMs, this.phases,
				this.connectionReused, this.staleConnectionRetried, this.ip, this.bodyBytes, this.reason, this.error,
				this.conditions, attempts, this.certificate);
	}

}
