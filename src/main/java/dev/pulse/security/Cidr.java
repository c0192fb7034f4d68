package dev.pulse.security;

import java.util.Arrays;

import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

/**
 * An IPv4 or IPv6 address range in CIDR notation, matched on address bytes. Written
 * strictly: a dotted quad or an RFC 4291 IPv6 address, then {@code /} and the prefix
 * length; a bare address is a single host. An IPv4-mapped range
 * ({@code ::ffff:10.0.0.0/104}) is stored as the IPv4 range it means, since addresses are
 * normalized the same way before they are matched.
 */
final class Cidr {

	private final byte[] network;

	private final int prefix;

	private Cidr(byte[] network, int prefix) {
		this.network = network;
		this.prefix = prefix;
	}

	/**
	 * Parse a range.
	 * @param text such as {@code 10.0.0.0/8}, {@code fe80::/10} or {@code 192.0.0.192}
	 * @return the range
	 * @throws IllegalArgumentException saying what is wrong, for a message that names the
	 * key
	 */
	static Cidr parse(String text) {
		int slash = text.indexOf('/');
		String addressText = (slash >= 0) ? text.substring(0, slash) : text;
		byte[] address = (addressText.indexOf(':') >= 0) ? Ipv6Literals.parse(addressText)
				: Ipv6Literals.dottedQuad(addressText);
		if (address == null) {
			throw new IllegalArgumentException("'" + addressText
					+ "' is not an IPv4 address (four decimal parts without leading zeros) or an IPv6 address");
		}
		int bits = address.length * 8;
		int prefix = (slash >= 0) ? prefixLength(text.substring(slash + 1), bits) : bits;
		byte[] masked = mask(address, prefix);
		if (!Arrays.equals(masked, address)) {
			throw new IllegalArgumentException("host bits are set; the range is " + format(masked, prefix));
		}
		if (isMapped(address) && prefix >= 96) {
			return new Cidr(Arrays.copyOfRange(address, 12, 16), prefix - 96);
		}
		return new Cidr(address, prefix);
	}

	private static int prefixLength(String text, int bits) {
		if (text.isEmpty() || text.length() > 3 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
			throw new IllegalArgumentException("prefix length '" + text + "' is not a number");
		}
		int prefix = Integer.parseInt(text);
		if (prefix > bits) {
			throw new IllegalArgumentException("prefix length " + prefix + " exceeds " + bits);
		}
		return prefix;
	}

	/**
	 * Whether the address is in this range; an IPv4 range never holds an IPv6 address.
	 */
	boolean contains(byte[] address) {
		return address.length == this.network.length && Arrays.equals(mask(address, this.prefix), this.network);
	}

	int prefixLength() {
		return this.prefix;
	}

	private static byte[] mask(byte[] address, int prefix) {
		byte[] masked = new byte[address.length];
		for (int i = 0; i < address.length; i++) {
			int bitsInByte = Math.max(0, Math.min(8, prefix - 8 * i));
			masked[i] = (byte) (address[i] & (0xff00 >>> bitsInByte));
		}
		return masked;
	}

	private static boolean isMapped(byte[] address) {
		if (address.length != 16 || address[10] != (byte) 0xff || address[11] != (byte) 0xff) {
			return false;
		}
		for (int i = 0; i < 10; i++) {
			if (address[i] != 0) {
				return false;
			}
		}
		return true;
	}

	/** An address as people write it: dotted quad, or compressed IPv6 (RFC 5952). */
	static String format(byte[] address) {
		return NetUtil.toAddressString(IpLiterals.toAddress(address));
	}

	private static String format(byte[] network, int prefix) {
		return format(network) + "/" + prefix;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof Cidr cidr && this.prefix == cidr.prefix && Arrays.equals(this.network, cidr.network);
	}

	@Override
	public int hashCode() {
		return 31 * Arrays.hashCode(this.network) + this.prefix;
	}

	/** The canonical form, such as {@code 127.0.0.0/8} or {@code fe80::/10}. */
	@Override
	public String toString() {
		return format(this.network, this.prefix);
	}

}
