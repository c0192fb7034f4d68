package dev.pulse.target;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One target as written under {@code pulse.targets.<name>}. Unset durations and
 * conditions fall back to {@code pulse.defaults}; {@link TargetResolver} turns this into
 * a {@link Target}.
 *
 * @param service the group the target belongs to for routing; default: the target's name
 * @param url the URL to probe, {@code http} or {@code https}
 * @param method the HTTP method; default {@code GET}
 * @param headers request headers sent with every probe; default none
 * @param body a request body sent with every probe; default none
 * @param interval time between probes; default {@code pulse.defaults.interval}
 * @param timeout deadline of one probe, at most the interval; default
 * {@code pulse.defaults.timeout}
 * @param jitter uniform random shift of each probe, at most half the interval; default
 * 10% of the interval
 * @param conditions conditions a response must meet; default
 * {@code pulse.defaults.conditions}
 * @param weight routing weight, 1 to 1000; default 100
 * @param freshConnection open a new connection for every probe (honest connect and TLS
 * timing, as blackbox_exporter does) instead of reusing pooled keep-alive connections;
 * default false
 * @param tls TLS settings
 * @param enabled whether the target is probed at all; default true
 * @param retry retry inside a probe cycle; each key set here overrides
 * {@code pulse.defaults.retry}
 * @param tcp what a {@code tcp://} target sends and expects; default: connect only
 * @param heartbeat {@code per-probe} (default): a connection per probe;
 * {@code persistent}: one long-lived connection per target, pinged every interval (the
 * article's heartbeat client); {@code tcp://} with {@code tcp.send} and
 * {@code tcp.expect} only
 */
public record TargetProperties(@Nullable String service,
		@NotBlank @Pattern(regexp = "(?i)(https?|tcp|tls|grpcs?)://.+",
				message = "must be an http, https, tcp, tls, grpc or grpcs URL") @Nullable String url,
		@DefaultValue("GET") @Pattern(regexp = "[A-Z]{1,16}",
				message = "must be an upper-case HTTP method such as GET") String method,
		@DefaultValue Map<String, String> headers, @Nullable String body, @Nullable Duration interval,
		@Nullable Duration timeout, @Nullable Duration jitter, @Nullable List<String> conditions,
		@DefaultValue("100") @Min(1) @Max(1000) int weight, @DefaultValue("false") boolean freshConnection,
		@DefaultValue @Valid Tls tls, @DefaultValue("true") boolean enabled, @Nullable RetryProperties retry,
		// Left out of stored definitions when unset, so those written before them read
		// alike.
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Tcp tcp,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String heartbeat) {

	@ConstructorBinding
	public TargetProperties {
	}

	/** Properties of a target that is not {@code tcp://}. */
	public TargetProperties(@Nullable String service, @Nullable String url, String method, Map<String, String> headers,
			@Nullable String body, @Nullable Duration interval, @Nullable Duration timeout, @Nullable Duration jitter,
			@Nullable List<String> conditions, int weight, boolean freshConnection, Tls tls, boolean enabled,
			@Nullable RetryProperties retry) {
		this(service, url, method, headers, body, interval, timeout, jitter, conditions, weight, freshConnection, tls,
				enabled, retry, null, null);
	}

	/**
	 * What a {@code tcp://} target sends once connected, and the answer it waits for.
	 *
	 * @param send bytes to send: text with {@code \xHH}, {@code \n}, {@code \r},
	 * {@code \t}, {@code \0} and {@code \\} escapes; default: nothing
	 * @param expect a regular expression the answer must match (bytes read as ISO-8859-1,
	 * so {@code \x02} matches the byte 2); default: no answer awaited
	 * @param readBytes the most bytes read while waiting for {@code expect} (or, without
	 * it, for a condition on {@code [BODY]}); default 4096
	 */
	public record Tcp(@Nullable String send, @Nullable String expect, @Nullable Integer readBytes) {
	}

	/**
	 * TLS settings of one target.
	 *
	 * @param insecureSkipVerify accept any certificate and host name; for tests and
	 * internal self-signed endpoints only; default false
	 */
	public record Tls(@DefaultValue("false") boolean insecureSkipVerify) {
	}

}
