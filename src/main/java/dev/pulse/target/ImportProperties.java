package dev.pulse.target;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Targets read from another tool's configuration, bound from {@code pulse.import.*}.
 *
 * @param gatusConfig path of a Gatus {@code config.yaml} whose {@code endpoints} become
 * targets; default none
 */
@ConfigurationProperties("pulse.import")
public record ImportProperties(@Nullable String gatusConfig) {
}
