package dev.pulse.security;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where probes of targets registered over the API may go, bound from
 * {@code pulse.security.ssrf.*}. Configured targets are trusted and never checked.
 * Addresses are normalized before they are matched (IPv4-mapped, IPv4-compatible and
 * NAT64 {@code 64:ff9b::/96} IPv6 addresses count as the IPv4 address they carry), so
 * IPv4 ranges need no IPv6 twin. An invalid range stops start-up with its key and value.
 *
 * @param deny CIDR ranges no API target may connect to; setting it replaces the whole
 * list. Default {@link #DEFAULT_DENY}: loopback, unspecified, link-local (which holds the
 * 169.254.169.254 metadata address of AWS, GCP, Azure, OCI and OpenStack), multicast,
 * broadcast, reserved, and the cloud metadata and host-agent addresses outside those
 * ranges. Private ranges (10/8, 172.16/12, 192.168/16, fc00::/7) are allowed, since in
 * Kubernetes targets live there
 * @param allow CIDR ranges allowed even though a {@code deny} range holds them; default
 * empty
 */
@ConfigurationProperties("pulse.security.ssrf")
@Validated
public record SsrfProperties(List<String> deny, List<String> allow) {

	/** The default {@code deny} list. */
	public static final List<String> DEFAULT_DENY = List.of(
			// IPv4: unspecified, loopback, link-local, multicast, reserved, broadcast
			"0.0.0.0/8", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
			// IPv4 metadata and host agents outside link-local: Alibaba Cloud, Oracle
			// Cloud
			// Classic, Azure WireServer
			"100.100.100.200/32", "192.0.0.192/32", "168.63.129.16/32",
			// IPv6: unspecified, loopback, link-local, multicast
			"::/128", "::1/128", "fe80::/10", "ff00::/8",
			// IPv6 metadata: AWS IMDS, AWS EKS Pod Identity, GCP, Scaleway
			"fd00:ec2::254/128", "fd00:ec2::23/128", "fd20:ce::254/128", "fd00:42::42/128");

	/**
	 * Settings with each unset list at its default.
	 * @param deny denied ranges; null for {@link #DEFAULT_DENY}
	 * @param allow ranges allowed despite {@code deny}; null for none
	 * @throws IllegalArgumentException naming every invalid entry by its key
	 */
	public SsrfProperties(@Nullable List<String> deny, @Nullable List<String> allow) {
		this.deny = (deny != null) ? List.copyOf(deny) : DEFAULT_DENY;
		this.allow = (allow != null) ? List.copyOf(allow) : List.of();
		List<String> errors = new ArrayList<>();
		check("deny", this.deny, errors);
		check("allow", this.allow, errors);
		if (!errors.isEmpty()) {
			throw new IllegalArgumentException(String.join("; ", errors));
		}
	}

	/** The defaults: {@link #DEFAULT_DENY} and no {@code allow}. */
	public static SsrfProperties defaults() {
		return new SsrfProperties(null, null);
	}

	List<Cidr> denyRanges() {
		return this.deny.stream().map(Cidr::parse).toList();
	}

	List<Cidr> allowRanges() {
		return this.allow.stream().map(Cidr::parse).toList();
	}

	private static void check(String key, List<String> ranges, List<String> errors) {
		for (int i = 0; i < ranges.size(); i++) {
			try {
				Cidr.parse(ranges.get(i));
			}
			catch (IllegalArgumentException ex) {
				errors.add("pulse.security.ssrf." + key + "[" + i + "]: '" + ranges.get(i) + "' is not a CIDR range: "
						+ ex.getMessage());
			}
		}
	}

}
