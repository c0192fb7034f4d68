package dev.pulse.security;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import dev.pulse.target.InvalidTargetException;
import dev.pulse.target.Target;
import dev.pulse.target.TargetValidator;

/**
 * Refuses, at registration, an API target whose URL host is an IP literal the
 * {@link SsrfPolicy} denies, in whatever spelling. Configured targets are trusted and
 * pass. Host names pass here; the transport checks their addresses on every connect.
 */
@Component
class SsrfTargetValidator implements TargetValidator {

	private final SsrfPolicy policy;

	SsrfTargetValidator(SsrfPolicy policy) {
		this.policy = policy;
	}

	@Override
	public List<InvalidTargetException.Violation> validate(Target target, String keyPrefix) {
		if (target.source() == Target.Source.CONFIG) {
			return List.of();
		}
		String host = host(target.url());
		if (host == null) {
			return List.of();
		}
		return this.policy.checkHost(host)
			.map(reason -> List.of(new InvalidTargetException.Violation(keyPrefix + "url", reason)))
			.orElse(List.of());
	}

	/**
	 * The URL's host. Java's {@code URI} has none for some IPv4 spellings ({@code 127.1},
	 * {@code 0x7f.1}), so those are cut from the authority: without user info and port.
	 */
	static @Nullable String host(URI url) {
		if (url.getHost() != null) {
			return url.getHost();
		}
		String authority = url.getAuthority();
		if (authority == null) {
			return null;
		}
		String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
		if (hostAndPort.startsWith("[")) {
			int close = hostAndPort.indexOf(']');
			return (close > 0) ? hostAndPort.substring(0, close + 1) : hostAndPort;
		}
		int colon = hostAndPort.lastIndexOf(':');
		return (colon >= 0) ? hostAndPort.substring(0, colon) : hostAndPort;
	}

}
