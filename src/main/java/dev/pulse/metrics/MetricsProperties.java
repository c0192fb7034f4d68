package dev.pulse.metrics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much detail Pulse's meters carry, bound from {@code pulse.metrics.*}.
 *
 * @param targetHistograms whether {@code pulse_probe_duration_seconds} and
 * {@code pulse_probe_phase_seconds} carry a {@code target} label; default true. Each
 * target adds about 90 histogram series, so large fleets (thousands of targets) turn this
 * off and get one set per service instead: the scrape shrinks about fivefold.
 */
@ConfigurationProperties("pulse.metrics")
@Validated
public record MetricsProperties(@DefaultValue("true") boolean targetHistograms) {
}
