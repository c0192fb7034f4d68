package dev.pulse.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny authoritative DNS server on {@code 127.0.0.1} (UDP, ephemeral port) whose
 * answers a test can change while it runs, such as a name that first resolves to an
 * allowed address and then to a denied one (DNS rebinding). It answers {@code A} queries
 * for the names it holds with TTL 0, so no resolver caches them; every other query of a
 * held name gets an empty answer, and every other name {@code NXDOMAIN}. Point Pulse at
 * it with {@code pulse.transport.dns.servers=127.0.0.1:<port>}.
 */
public final class LoopbackDns implements AutoCloseable {

	private static final int TYPE_A = 1;

	private static final int CLASS_IN = 1;

	private static final int NXDOMAIN = 3;

	private final DatagramSocket socket;

	private final Thread thread;

	private final Map<String, byte[]> records = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();

	private volatile boolean closed;

	private LoopbackDns(DatagramSocket socket) {
		this.socket = socket;
		this.thread = new Thread(this::serve, "loopback-dns-" + socket.getLocalPort());
		this.thread.setDaemon(true);
	}

	public static LoopbackDns start() {
		try {
			DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
			// Wakes the loop now and then, so close() ends it within this bound.
			socket.setSoTimeout(100);
			LoopbackDns dns = new LoopbackDns(socket);
			dns.thread.start();
			return dns;
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot start the loopback DNS server", ex);
		}
	}

	/** {@code 127.0.0.1:<port>}, as {@code pulse.transport.dns.servers} takes it. */
	public String server() {
		return "127.0.0.1:" + this.socket.getLocalPort();
	}

	/** The server's socket address, as {@code ProbeTransport} takes name servers. */
	public InetSocketAddress address() {
		return new InetSocketAddress(this.socket.getLocalAddress(), this.socket.getLocalPort());
	}

	/** From now on, answer {@code name} with this IPv4 address. */
	public LoopbackDns answer(String name, String ipv4) {
		try {
			byte[] address = InetAddress.getByName(ipv4).getAddress();
			if (address.length != 4) {
				throw new IllegalArgumentException("not an IPv4 literal: " + ipv4);
			}
			this.records.put(key(name), address);
			return this;
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("not an IPv4 literal: " + ipv4, ex);
		}
	}

	/** Queries received for {@code name}, of any type. */
	public int queries(String name) {
		AtomicInteger count = this.queries.get(key(name));
		return (count != null) ? count.get() : 0;
	}

	private static String key(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
	}

	private void serve() {
		byte[] buffer = new byte[512];
		while (!this.closed) {
			DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
			try {
				this.socket.receive(packet);
				byte[] answer = answer(packet.getData(), packet.getLength());
				if (answer != null) {
					this.socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
				}
			}
			catch (SocketTimeoutException ex) {
				// Check closed, then wait again.
			}
			catch (SocketException ex) {
				return;
			}
			catch (IOException ex) {
				// A bad packet or a send failure: the client retries or times out.
			}
		}
	}

	/** The response to one query; null when the packet is not a one-question query. */
	private byte[] answer(byte[] query, int length) {
		if (length < 12 || (query[2] & 0x80) != 0 || (((query[4] & 0xff) << 8) | (query[5] & 0xff)) != 1) {
			return null;
		}
		StringBuilder name = new StringBuilder();
		int at = 12;
		while (at < length && query[at] != 0) {
			int label = query[at] & 0xff;
			if (label > 63 || at + 1 + label > length) {
				return null;
			}
			name.append(name.isEmpty() ? "" : ".")
				.append(new String(query, at + 1, label, java.nio.charset.StandardCharsets.US_ASCII));
			at += 1 + label;
		}
		int questionEnd = at + 5;
		if (questionEnd > length) {
			return null;
		}
		int type = ((query[at + 1] & 0xff) << 8) | (query[at + 2] & 0xff);
		String key = key(name.toString());
		this.queries.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
		byte[] address = this.records.get(key);
		boolean answered = address != null && type == TYPE_A;
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(query, 0, 2);
		// QR, opcode 0, AA, RD copied; RA; rcode.
		out.write(0x84 | (query[2] & 0x01));
		out.write(0x80 | ((address == null) ? NXDOMAIN : 0));
		writeShort(out, 1);
		writeShort(out, answered ? 1 : 0);
		writeShort(out, 0);
		writeShort(out, 0);
		out.write(query, 12, questionEnd - 12);
		if (answered) {
			// A pointer to the question's name, then type, class, TTL 0 and the address.
			writeShort(out, 0xC00C);
			writeShort(out, TYPE_A);
			writeShort(out, CLASS_IN);
			writeShort(out, 0);
			writeShort(out, 0);
			writeShort(out, 4);
			out.write(address, 0, 4);
		}
		return out.toByteArray();
	}

	private static void writeShort(ByteArrayOutputStream out, int value) {
		out.write((value >>> 8) & 0xff);
		out.write(value & 0xff);
	}

	@Override
	public void close() {
		this.closed = true;
		this.socket.close();
		try {
			this.thread.join(TimeUnit.SECONDS.toMillis(2));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
