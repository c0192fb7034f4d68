package dev.pulse.metrics;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Parses the text of {@code /proc/net/tcp} and {@code /proc/net/tcp6}. Addresses are hex:
 * an IPv4 address is one 32-bit word and an IPv6 address four, each word in the host's
 * byte order (little-endian on x86 and arm64); ports are plain big-endian hex.
 */
final class ProcNetTcp {

	private static final Pattern SPACES = Pattern.compile("\\s+");

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private ProcNetTcp() {
	}

	/**
	 * One socket line.
	 *
	 * @param remote the remote address as {@link #key} writes it
	 * @param state the TCP state
	 * @param inode the socket's inode; 0 for a socket no process owns (TIME_WAIT)
	 */
	record Entry(String remote, TcpState state, long inode) {
	}

	/**
	 * Every socket in a file's text; the header and malformed lines are skipped.
	 * @param text the file's content
	 * @param order the byte order of the address words (the host's)
	 * @return the sockets, in file order
	 */
	static List<Entry> parse(String text, ByteOrder order) {
		List<Entry> entries = new ArrayList<>();
		for (String line : text.split("\n")) {
			Entry entry = parseLine(line.trim(), order);
			if (entry != null) {
				entries.add(entry);
			}
		}
		return entries;
	}

	private static @Nullable Entry parseLine(String line, ByteOrder order) {
		String[] fields = SPACES.split(line);
		if (fields.length < 10 || !fields[0].endsWith(":")) {
			return null;
		}
		try {
			TcpState state = TcpState.of(Integer.parseInt(fields[3], 16));
			String remote = address(fields[2], order);
			if (state == null || remote == null) {
				return null;
			}
			return new Entry(remote, state, Long.parseLong(fields[9]));
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/** {@code 0100007F:1F90} to {@code 127.0.0.1:8080}; null when malformed. */
	static @Nullable String address(String hex, ByteOrder order) {
		int colon = hex.indexOf(':');
		if (colon != 8 && colon != 32) {
			return null;
		}
		byte[] bytes = new byte[colon / 2];
		for (int word = 0; word < bytes.length / 4; word++) {
			for (int i = 0; i < 4; i++) {
				int index = (order == ByteOrder.LITTLE_ENDIAN) ? 3 - i : i;
				int at = word * 8 + index * 2;
				bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
			}
		}
		try {
			// From raw bytes: no lookup. IPv4-mapped IPv6 comes back as IPv4.
			return key(InetAddress.getByAddress(bytes), Integer.parseInt(hex.substring(colon + 1), 16));
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/**
	 * The key of an IP literal and a port, in the form {@link #address} gives; null when
	 * the text is not an IP literal (never resolved through DNS).
	 */
	static @Nullable String key(String ip, int port) {
		if (!IPV4.matcher(ip).matches() && ip.indexOf(':') < 0) {
			return null;
		}
		try {
			return key(InetAddress.getByName(ip), port);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	static String key(InetAddress address, int port) {
		String host = address.getHostAddress();
		int scope = host.indexOf('%');
		if (scope >= 0) {
			host = host.substring(0, scope);
		}
		return (host.indexOf(':') >= 0) ? "[" + host + "]:" + port : host + ":" + port;
	}

}
