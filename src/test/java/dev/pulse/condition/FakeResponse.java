package dev.pulse.condition;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A response for tests, built field by field; every field left out is not observed.
 */
final class FakeResponse implements Observation {

	private @Nullable Integer status;

	private @Nullable Duration responseTime;

	private @Nullable String ip;

	private @Nullable Boolean connected;

	private @Nullable Duration certificateExpiration;

	private byte @Nullable [] body;

	private final Map<String, String> headers = new LinkedHashMap<>();

	private @Nullable Instant observedAt;

	static FakeResponse response() {
		return new FakeResponse();
	}

	FakeResponse status(@Nullable Integer status) {
		this.status = status;
		return this;
	}

	FakeResponse responseTime(long millis) {
		this.responseTime = Duration.ofMillis(millis);
		return this;
	}

	FakeResponse ip(@Nullable String ip) {
		this.ip = ip;
		return this;
	}

	FakeResponse connected(@Nullable Boolean connected) {
		this.connected = connected;
		return this;
	}

	FakeResponse certificateExpiration(Duration left) {
		this.certificateExpiration = left;
		return this;
	}

	FakeResponse body(String body) {
		this.body = body.getBytes(StandardCharsets.UTF_8);
		return this;
	}

	FakeResponse body(byte[] body) {
		this.body = body;
		return this;
	}

	FakeResponse header(String name, String value) {
		this.headers.put(name.toLowerCase(Locale.ROOT), value);
		return this;
	}

	FakeResponse observedAt(String instant) {
		this.observedAt = Instant.parse(instant);
		return this;
	}

	@Override
	public @Nullable Integer status() {
		return this.status;
	}

	@Override
	public @Nullable Duration responseTime() {
		return this.responseTime;
	}

	@Override
	public @Nullable String ip() {
		return this.ip;
	}

	@Override
	public @Nullable Boolean connected() {
		return this.connected;
	}

	@Override
	public @Nullable Duration certificateExpiration() {
		return this.certificateExpiration;
	}

	@Override
	public byte @Nullable [] body() {
		return this.body;
	}

	@Override
	public @Nullable String header(String name) {
		return this.headers.get(name.toLowerCase(Locale.ROOT));
	}

	@Override
	public @Nullable Instant observedAt() {
		return this.observedAt;
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder();
		append(text, "status", this.status);
		append(text, "time", (this.responseTime != null) ? this.responseTime.toMillis() + "ms" : null);
		append(text, "ip", this.ip);
		append(text, "connected", this.connected);
		append(text, "cert", this.certificateExpiration);
		append(text, "body", (this.body != null) ? new String(this.body, StandardCharsets.UTF_8) : null);
		append(text, "headers", this.headers.isEmpty() ? null : this.headers);
		return text.toString().strip();
	}

	private static void append(StringBuilder text, String name, @Nullable Object value) {
		if (value != null) {
			text.append(' ').append(name).append('=').append(value);
		}
	}

}
