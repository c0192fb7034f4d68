package dev.pulse.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Reads IP literals in every spelling a URL host may carry, without DNS: dotted quads,
 * the inet_aton forms browsers and C resolvers accept (decimal {@code 2130706433}, hex
 * {@code 0x7f000001}, octal {@code 0177.0.0.1}, short {@code 127.1}, mixed
 * {@code 0x7f.1}), and IPv6 with or without brackets and zone id. Then normalizes the
 * IPv6 forms that carry an IPv4 address to that address, since that is where a connection
 * would go.
 */
final class IpLiterals {

	private IpLiterals() {
	}

	/**
	 * The address a URL host spells, normalized; null for a host name.
	 * @param host a URL host, such as {@code [::1]}, {@code 127.1} or {@code example.com}
	 * @return the address, or null when the host is not an IP literal
	 */
	static @Nullable InetAddress parse(String host) {
		String text = host.trim();
		byte[] bytes;
		if (text.startsWith("[") && text.endsWith("]")) {
			bytes = Ipv6Literals.parse(withoutZone(text.substring(1, text.length() - 1)));
		}
		else if (text.indexOf(':') >= 0) {
			bytes = Ipv6Literals.parse(withoutZone(text));
		}
		else {
			bytes = parseIpv4(text);
		}
		return (bytes != null) ? toAddress(normalize(bytes)) : null;
	}

	/**
	 * A dotted quad read the way Netty's resolver reads it, which is where a probe
	 * connects: four decimal parts of one to three digits, leading zeros ignored
	 * ({@code 127.0.0.010} is {@code 127.0.0.10}, where inet_aton reads octal 8).
	 * @param host a URL host
	 * @return the address, or null when the host is not such a quad
	 */
	static @Nullable InetAddress parseDecimalQuad(String host) {
		String[] parts = host.trim().split("\\.", -1);
		if (parts.length != 4) {
			return null;
		}
		byte[] bytes = new byte[4];
		for (int i = 0; i < 4; i++) {
			if (!parts[i].matches("[0-9]{1,3}") || Integer.parseInt(parts[i]) > 255) {
				return null;
			}
			bytes[i] = (byte) Integer.parseInt(parts[i]);
		}
		return toAddress(bytes);
	}

	/**
	 * The IPv4 address an IPv6 address embeds (mapped {@code ::ffff:0:0/96}, translated
	 * {@code ::ffff:0:0:0/96}, NAT64 {@code 64:ff9b::/96}, compatible {@code ::/96}
	 * except {@code ::} and {@code ::1}); otherwise the bytes as they are.
	 */
	static byte[] normalize(byte[] address) {
		if (address.length != 16) {
			return address;
		}
		boolean zeroTo8 = isZero(address, 0, 8);
		boolean mapped = zeroTo8 && isZero(address, 8, 10) && isFfff(address, 10);
		boolean translated = zeroTo8 && isFfff(address, 8) && isZero(address, 10, 12);
		boolean nat64 = address[0] == 0 && address[1] == 0x64 && address[2] == (byte) 0xff && address[3] == (byte) 0x9b
				&& isZero(address, 4, 12);
		boolean unspecifiedOrLoopback = isZero(address, 12, 15) && (address[15] == 0 || address[15] == 1);
		boolean compatible = zeroTo8 && isZero(address, 8, 12) && !unspecifiedOrLoopback;
		if (mapped || translated || nat64 || compatible) {
			return new byte[] { address[12], address[13], address[14], address[15] };
		}
		return address;
	}

	/** An address from its bytes; never a lookup. */
	static InetAddress toAddress(byte[] bytes) {
		try {
			return InetAddress.getByAddress(bytes);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("not 4 or 16 bytes: " + bytes.length, ex);
		}
	}

	private static String withoutZone(String text) {
		// Java's URI keeps the zone id as written, "%25eth0" or "%eth0".
		int percent = text.indexOf('%');
		return (percent >= 0) ? text.substring(0, percent) : text;
	}

	/**
	 * inet_aton and WHATWG IPv4: one to four parts, each decimal, {@code 0x} hex or
	 * {@code 0} octal; the last part fills the remaining bytes. One trailing dot is
	 * allowed, as in a fully qualified name.
	 */
	private static byte @Nullable [] parseIpv4(String text) {
		String body = (text.endsWith(".") && text.length() > 1) ? text.substring(0, text.length() - 1) : text;
		String[] parts = body.split("\\.", -1);
		if (parts.length > 4) {
			return null;
		}
		long[] values = new long[parts.length];
		for (int i = 0; i < parts.length; i++) {
			values[i] = parsePart(parts[i]);
			if (values[i] < 0) {
				return null;
			}
		}
		long address = 0;
		for (int i = 0; i < parts.length - 1; i++) {
			if (values[i] > 255) {
				return null;
			}
			address |= values[i] << (8 * (3 - i));
		}
		long last = values[parts.length - 1];
		if (last >= (1L << (8 * (5 - parts.length)))) {
			return null;
		}
		address |= last;
		return new byte[] { (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address };
	}

	/** One IPv4 part's value; -1 when it is not a number or exceeds 32 bits. */
	private static long parsePart(String part) {
		String lower = part.toLowerCase(Locale.ROOT);
		int radix = 10;
		String digits = lower;
		if (lower.startsWith("0x")) {
			radix = 16;
			digits = lower.substring(2);
		}
		else if (lower.length() > 1 && lower.startsWith("0")) {
			radix = 8;
			digits = lower.substring(1);
		}
		if (digits.isEmpty()) {
			// "0x" alone is 0 to WHATWG; an empty part ("1..2") is no address.
			return (radix == 16) ? 0 : -1;
		}
		long value = 0;
		for (int i = 0; i < digits.length(); i++) {
			int digit = Character.digit(digits.charAt(i), radix);
			if (digit < 0) {
				return -1;
			}
			value = value * radix + digit;
			if (value > 0xFFFF_FFFFL) {
				return -1;
			}
		}
		return value;
	}

	private static boolean isZero(byte[] bytes, int from, int to) {
		for (int i = from; i < to; i++) {
			if (bytes[i] != 0) {
				return false;
			}
		}
		return true;
	}

	private static boolean isFfff(byte[] bytes, int at) {
		return bytes[at] == (byte) 0xff && bytes[at + 1] == (byte) 0xff;
	}

}
