package dev.pulse.target;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.jspecify.annotations.Nullable;

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
 */
public record TargetProperties(@Nullable String service,
		@NotBlank @Pattern(regexp = "(?i)https?://.+", message = "must be an http or https URL") @Nullable String url,
		@DefaultValue("GET") @Pattern(regexp = "[A-Z]{1,16}",
				message = "must be an upper-case HTTP method such as GET") String method,
		@DefaultValue Map<String, String> headers, @Nullable String body, @Nullable Duration interval,
		@Nullable Duration timeout, @Nullable Duration jitter, @Nullable List<String> conditions,
		@DefaultValue("100") @Min(1) @Max(1000) int weight, @DefaultValue("false") boolean freshConnection,
		@DefaultValue @Valid Tls tls, @DefaultValue("true") boolean enabled, @Nullable RetryProperties retry) {

	/**
	 * TLS settings of one target.
	 *
	 * @param insecureSkipVerify accept any certificate and host name; for tests and
	 * internal self-signed endpoints only; default false
	 */
	public record Tls(@DefaultValue("false") boolean insecureSkipVerify) {
	}

}
