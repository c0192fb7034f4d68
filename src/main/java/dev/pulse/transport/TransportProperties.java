package dev.pulse.transport;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the one shared connection pool ({@code pulse-probes}) and the HTTP client
 * on it, bound from {@code pulse.transport.*}.
 *
 * @param maxConnectionsPerHost most connections open to one host:port at once; many
 * targets often sit behind one ingress host, and the cap protects it from connection
 * floods; default 8
 * @param maxIdleTime a pooled connection idle this long is closed; default 30s
 * @param maxLifeTime a pooled connection this old is closed when next released, so DNS
 * changes and server-side limits are picked up; default 5m
 * @param evictInBackground how often idle and expired connections are swept; 0 sweeps
 * only on acquire and release; default 15s
 * @param pendingAcquireMaxCount most probes waiting for a connection to one host; past it
 * a probe fails at once with reason {@code pool-exhausted}; default 1000
 * @param pendingAcquireTimeout longest wait for a pooled connection, further bounded by
 * each probe's deadline; default 5s
 * @param connectTimeout TCP connect timeout, further bounded by each probe's deadline;
 * default 3s
 * @param maxBodyBytes most response body bytes read; past it the probe fails with reason
 * {@code body-too-large} and the connection is closed; default 1MB
 * @param followRedirects whether 3xx responses are followed; default false
 * @param userAgent the {@code User-Agent} header; default {@code Pulse/<version>}
 */
@ConfigurationProperties("pulse.transport")
@Validated
public record TransportProperties(@DefaultValue("8") @Min(1) @Max(10000) int maxConnectionsPerHost,
		@DefaultValue("30s") @DurationMin(millis = 1) Duration maxIdleTime,
		@DefaultValue("5m") @DurationMin(millis = 1) Duration maxLifeTime,
		@DefaultValue("15s") @DurationMin(millis = 0) Duration evictInBackground,
		@DefaultValue("1000") @Min(1) int pendingAcquireMaxCount,
		@DefaultValue("5s") @DurationMin(millis = 1) Duration pendingAcquireTimeout,
		@DefaultValue("3s") @DurationMin(millis = 1) Duration connectTimeout,
		@DefaultValue("1MB") DataSize maxBodyBytes, @DefaultValue("false") boolean followRedirects,
		@Nullable String userAgent) {

	public TransportProperties {
		if (maxBodyBytes.toBytes() < 0) {
			throw new IllegalArgumentException("pulse.transport.max-body-bytes must not be negative");
		}
	}

}
