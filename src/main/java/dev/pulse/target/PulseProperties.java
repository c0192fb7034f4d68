package dev.pulse.target;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The targets Pulse probes and the defaults they share, bound from {@code pulse.*}.
 * <p>
 * Targets are a map keyed by name, not a list, so that a Spring profile or a Helm value
 * overrides one target by its key instead of replacing them all.
 *
 * @param defaults settings a target inherits unless it sets its own
 * @param targets the targets, keyed by name ({@code [a-z0-9][a-z0-9._-]{0,62}})
 */
@ConfigurationProperties("pulse")
@Validated
public record PulseProperties(@DefaultValue @Valid Defaults defaults,
		@DefaultValue Map<String, @Valid TargetProperties> targets) {

	/**
	 * Defaults for every target.
	 *
	 * @param interval time between two probes of a target; default 10s
	 * @param timeout deadline of one probe; default 5s
	 * @param jitter uniform random shift of each probe; default (unset) 10% of the
	 * interval
	 * @param conditions conditions a response must meet; default {@code [STATUS] == 200}
	 * @param retry retry inside a probe cycle; see {@link RetryPolicy#BUILT_IN} for the
	 * defaults
	 */
	public record Defaults(@DefaultValue("10s") @DurationMin(millis = 100) Duration interval,
			@DefaultValue("5s") @DurationMin(millis = 1) Duration timeout, @Nullable Duration jitter,
			@DefaultValue("[STATUS] == 200") List<String> conditions, @Nullable RetryProperties retry) {
	}

}
