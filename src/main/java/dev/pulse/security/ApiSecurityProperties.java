package dev.pulse.security;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * API tokens, bound from {@code pulse.api.*}.
 *
 * @param writeToken bearer token every write needs ({@code PUT}, {@code DELETE},
 * {@code POST} on {@code /api/**}); default: a random token generated at start-up and
 * logged once
 * @param readToken bearer token reads need, on {@code /api/**} and on every actuator
 * endpoint but those in {@link ApiTokenFilter#OPEN_ACTUATOR_ENDPOINTS}; default none, so
 * reads are open
 */
@ConfigurationProperties("pulse.api")
public record ApiSecurityProperties(@Nullable String writeToken, @Nullable String readToken) {
}
