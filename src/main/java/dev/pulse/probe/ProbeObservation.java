package dev.pulse.probe;

import java.time.Duration;
import java.time.Instant;

import io.netty.handler.codec.http.HttpHeaders;
import org.jspecify.annotations.Nullable;

import dev.pulse.condition.Observation;
import dev.pulse.transport.ConnectionInfo;
import dev.pulse.transport.PeerCertificate;

/**
 * What one probe saw, as conditions read it. Built once per probe, after the exchange.
 */
final class ProbeObservation implements Observation {

	private final ProbeExchange exchange;

	private final Instant startedAt;

	private final long startNanos;

	private final Duration responseTime;

	private final byte @Nullable [] body;

	ProbeObservation(ProbeExchange exchange, Instant startedAt, long startNanos, Duration responseTime,
			boolean bodyKept) {
		this.exchange = exchange;
		this.startedAt = startedAt;
		this.startNanos = startNanos;
		this.responseTime = responseTime;
		this.body = exchange.keptBody(bodyKept);
	}

	@Override
	public @Nullable Integer status() {
		return this.exchange.status;
	}

	@Override
	public Duration responseTime() {
		return this.responseTime;
	}

	@Override
	public @Nullable String ip() {
		return this.exchange.peerAddress();
	}

	@Override
	public Boolean connected() {
		return this.exchange.connection != null;
	}

	@Override
	public @Nullable Duration certificateExpiration() {
		ConnectionInfo info = this.exchange.connectionInfo;
		PeerCertificate certificate = (info != null) ? info.certificate() : null;
		return (certificate != null) ? Duration.between(this.startedAt, certificate.chainNotAfter()) : null;
	}

	@Override
	public byte @Nullable [] body() {
		return this.body;
	}

	@Override
	public @Nullable String header(String name) {
		HttpHeaders headers = this.exchange.headers;
		return (headers != null) ? headers.get(name) : null;
	}

	@Override
	public @Nullable Instant observedAt() {
		// The wall clock at start plus the monotonic time to the headers: no second clock
		// read.
		long responseNanos = this.exchange.responseNanos;
		return (responseNanos != 0) ? this.startedAt.plusNanos(responseNanos - this.startNanos) : null;
	}

}
