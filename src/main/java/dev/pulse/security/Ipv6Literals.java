package dev.pulse.security;

import org.jspecify.annotations.Nullable;

/**
 * Reads an IPv6 address (RFC 4291 text form, without brackets or zone id) into its 16
 * bytes: up to eight groups of one to four hex digits, at most one {@code ::}, and an
 * optional dotted-quad tail such as {@code ::ffff:127.0.0.1}.
 */
final class Ipv6Literals {

	private Ipv6Literals() {
	}

	/**
	 * The bytes of an IPv6 address.
	 * @param text such as {@code fe80::1} or {@code ::ffff:127.0.0.1}
	 * @return 16 bytes, or null when the text is not an IPv6 address
	 */
	static byte @Nullable [] parse(String text) {
		int gap = text.indexOf("::");
		if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
			return null;
		}
		// A dotted-quad tail may only end the address.
		byte[] head = (gap < 0) ? groups(text, true) : groups(text.substring(0, gap), false);
		byte[] tail = (gap < 0) ? new byte[0] : groups(text.substring(gap + 2), true);
		if (head == null || tail == null) {
			return null;
		}
		int length = head.length + tail.length;
		// Without "::" the groups fill all 16 bytes; with it, they leave at least one
		// zero group.
		if ((gap < 0 && length != 16) || (gap >= 0 && length > 14)) {
			return null;
		}
		byte[] address = new byte[16];
		System.arraycopy(head, 0, address, 0, head.length);
		System.arraycopy(tail, 0, address, 16 - tail.length, tail.length);
		return address;
	}

	/** Colon-separated groups, the last of which may be a dotted quad; empty for "". */
	private static byte @Nullable [] groups(String text, boolean quadAllowed) {
		if (text.isEmpty()) {
			return new byte[0];
		}
		String[] groups = text.split(":", -1);
		if (groups.length > 8) {
			return null;
		}
		String last = groups[groups.length - 1];
		byte[] quad = null;
		if (last.indexOf('.') >= 0) {
			quad = quadAllowed ? dottedQuad(last) : null;
			if (quad == null) {
				return null;
			}
		}
		int hexGroups = (quad != null) ? groups.length - 1 : groups.length;
		byte[] bytes = new byte[hexGroups * 2 + ((quad != null) ? 4 : 0)];
		for (int i = 0; i < hexGroups; i++) {
			int value = hexGroup(groups[i]);
			if (value < 0) {
				return null;
			}
			bytes[2 * i] = (byte) (value >>> 8);
			bytes[2 * i + 1] = (byte) value;
		}
		if (quad != null) {
			System.arraycopy(quad, 0, bytes, hexGroups * 2, 4);
		}
		return bytes;
	}

	private static int hexGroup(String group) {
		if (group.isEmpty() || group.length() > 4) {
			return -1;
		}
		int value = 0;
		for (int i = 0; i < group.length(); i++) {
			int digit = Character.digit(group.charAt(i), 16);
			if (digit < 0 || group.charAt(i) > 'f') {
				return -1;
			}
			value = (value << 4) | digit;
		}
		return value;
	}

	/**
	 * Strict dotted decimal, as inet_pton reads the IPv4 tail: four parts of 0 to 255, no
	 * leading zeros, which other parsers would read as octal.
	 */
	static byte @Nullable [] dottedQuad(String text) {
		String[] parts = text.split("\\.", -1);
		if (parts.length != 4) {
			return null;
		}
		byte[] bytes = new byte[4];
		for (int i = 0; i < 4; i++) {
			String part = parts[i];
			if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
				return null;
			}
			int value = 0;
			for (int j = 0; j < part.length(); j++) {
				char c = part.charAt(j);
				if (c < '0' || c > '9') {
					return null;
				}
				value = value * 10 + (c - '0');
			}
			if (value > 255) {
				return null;
			}
			bytes[i] = (byte) value;
		}
		return bytes;
	}

}
