package dev.pulse.security;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.pulse.transport.AddressPolicy;

/**
 * Where probes of API-registered targets may go: an address is allowed when an
 * {@code allow} range holds it, otherwise denied when a {@code deny} range holds it,
 * otherwise allowed. Addresses are normalized first, so {@code ::ffff:127.0.0.1} is
 * {@code 127.0.0.1}.
 * <p>
 * Checked twice: at registration on the URL's host when it is an IP literal
 * ({@link #checkHost}, no DNS), and by the transport on every address a probe connects
 * to, after DNS and on every redirect hop ({@link #denial}), so a host name that resolves
 * or re-resolves to a denied address is caught where it matters.
 */
@Component
public final class SsrfPolicy implements AddressPolicy {

	private final List<Cidr> deny;

	private final List<Cidr> allow;

	public SsrfPolicy(SsrfProperties properties) {
		this.deny = properties.denyRanges();
		this.allow = properties.allowRanges();
	}

	/**
	 * Whether a probe may connect to an address.
	 * @param address the address, as resolved or as written
	 * @return false when a deny range holds it and no allow range does
	 */
	public boolean permits(InetAddress address) {
		return denial(address).isEmpty();
	}

	/**
	 * Why a probe may not connect to an address.
	 * @param address the address, as resolved or as written
	 * @return such as {@code address 127.0.0.1 is in a denied range (127.0.0.0/8)},
	 * naming the narrowest denied range that holds it; empty when the address is allowed
	 */
	@Override
	public Optional<String> denial(InetAddress address) {
		byte[] bytes = IpLiterals.normalize(address.getAddress());
		return denial(bytes, Cidr.format(bytes));
	}

	private Optional<String> denial(byte[] normalized, String label) {
		if (this.allow.stream().anyMatch(range -> range.contains(normalized))) {
			return Optional.empty();
		}
		Cidr narrowest = null;
		for (Cidr range : this.deny) {
			if (range.contains(normalized) && (narrowest == null || range.prefixLength() > narrowest.prefixLength())) {
				narrowest = range;
			}
		}
		return (narrowest != null) ? Optional.of("address " + label + " is in a denied range (" + narrowest + ")")
				: Optional.empty();
	}

	/**
	 * Check a URL host at registration, without DNS. An IP literal in any spelling
	 * ({@code 127.0.0.1}, {@code [::ffff:127.0.0.1]}, {@code 2130706433},
	 * {@code 0x7f000001}, {@code 0177.0.0.1}, {@code 127.1}) is normalized and checked; a
	 * host name passes, and its addresses are checked when a probe connects.
	 * @param host the URL's host, brackets and zone id allowed
	 * @return why the host is denied; empty when it is allowed or is a name
	 */
	public Optional<String> checkHost(String host) {
		InetAddress literal = IpLiterals.parse(host);
		// Leading zeros are octal to inet_aton but decimal to the resolver probes go
		// through (127.0.0.010, 168.063.129.016): both readings must be allowed.
		InetAddress decimal = IpLiterals.parseDecimalQuad(host);
		Optional<String> denial = (literal != null) ? check(literal, host) : Optional.empty();
		return (denial.isEmpty() && decimal != null) ? check(decimal, host) : denial;
	}

	private Optional<String> check(InetAddress literal, String host) {
		byte[] bytes = literal.getAddress();
		String canonical = Cidr.format(bytes);
		String written = host.trim();
		boolean asWritten = written.equalsIgnoreCase(canonical) || written.equalsIgnoreCase("[" + canonical + "]");
		return denial(bytes, asWritten ? canonical : canonical + " (written " + written + ")");
	}

}
