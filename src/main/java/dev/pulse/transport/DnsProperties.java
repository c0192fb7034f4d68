package dev.pulse.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where probes look host names up, bound from {@code pulse.transport.dns.*}. The hosts
 * file is read first either way; this only replaces the name servers.
 *
 * @param servers name servers as IP literals with an optional port ({@code 10.0.0.10},
 * {@code 10.0.0.10:5353}, {@code [fd00::10]:53}), asked in order; default empty: the
 * system's ({@code /etc/resolv.conf})
 */
@ConfigurationProperties("pulse.transport.dns")
public record DnsProperties(List<String> servers) {

	private static final int DNS_PORT = 53;

	/**
	 * Settings with no servers meaning the system's.
	 * @param servers name servers; null for the system's
	 * @throws IllegalArgumentException naming every entry that is not an IP[:port]
	 */
	public DnsProperties(@Nullable List<String> servers) {
		this.servers = (servers != null) ? List.copyOf(servers) : List.of();
		List<String> errors = new ArrayList<>();
		for (int i = 0; i < this.servers.size(); i++) {
			if (parse(this.servers.get(i)) == null) {
				errors.add("pulse.transport.dns.servers[" + i + "]: '" + this.servers.get(i)
						+ "' is not an IP address with an optional port");
			}
		}
		if (!errors.isEmpty()) {
			throw new IllegalArgumentException(String.join("; ", errors));
		}
	}

	/** The system's name servers. */
	public static DnsProperties system() {
		return new DnsProperties(null);
	}

	/** The servers as socket addresses; empty for the system's. */
	public List<InetSocketAddress> addresses() {
		return this.servers.stream().map(DnsProperties::parse).toList();
	}

	/**
	 * An IP literal, bracketed when IPv6 with a port, then an optional port; never a
	 * name, so finding the name servers needs no DNS.
	 */
	private static @Nullable InetSocketAddress parse(String server) {
		String text = server.trim();
		String host = text;
		String port = String.valueOf(DNS_PORT);
		int colon = text.lastIndexOf(':');
		if (text.startsWith("[")) {
			int close = text.indexOf(']');
			if (close < 0 || (close + 1 < text.length() && text.charAt(close + 1) != ':')) {
				return null;
			}
			host = text.substring(1, close);
			port = (close + 1 < text.length()) ? text.substring(close + 2) : port;
		}
		else if (colon >= 0 && text.indexOf(':') == colon) {
			// One colon: IPv4 and port. More: a bare IPv6 address.
			host = text.substring(0, colon);
			port = text.substring(colon + 1);
		}
		byte[] bytes = NetUtil.createByteArrayFromIpAddressString(host);
		if (bytes == null || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1
				|| Integer.parseInt(port) > 65535) {
			return null;
		}
		try {
			return new InetSocketAddress(InetAddress.getByAddress(bytes), Integer.parseInt(port));
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

}
