package dev.pulse.probe;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How many results Pulse keeps, bound from {@code pulse.results.*}.
 *
 * @param history results kept in memory per target, newest first; default 100
 */
@ConfigurationProperties("pulse.results")
@Validated
public record ResultsProperties(@DefaultValue("100") @Min(1) @Max(10000) int history) {
}
