package dev.pulse.metrics;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Pulse's own TCP sockets, grouped by remote ip:port and counted by state, read from
 * {@code /proc/net/tcp} and {@code /proc/net/tcp6}. A socket is Pulse's when its inode is
 * among the {@code socket:[inode]} links in {@code /proc/self/fd}; a TIME_WAIT socket has
 * no owner any more (inode 0), so those are counted by remote address alone and may
 * include other processes' connections to the same address.
 * <p>
 * Read on the scrape thread, never on an event loop, and at most once per refresh
 * interval: every lookup in between is answered from the last table. Where
 * {@code /proc/net/tcp} does not exist (not Linux), the table is {@link #available() not
 * available} and empty.
 */
@Component
public final class SocketTable {

	/** How old a table may get before a lookup reads /proc again. */
	public static final long REFRESH_NANOS = 5_000_000_000L;

	private static final Logger logger = LoggerFactory.getLogger(SocketTable.class);

	private static final String SOCKET_LINK = "socket:[";

	private final Path proc;

	private final long refreshNanos;

	private final LongSupplier nanoClock;

	private final boolean available;

	private Map<String, Map<TcpState, Integer>> table = Map.of();

	private long readNanos;

	private boolean read;

	/** The table of this process, from {@code /proc}. */
	public SocketTable() {
		this(Path.of("/proc"), REFRESH_NANOS, System::nanoTime);
	}

	SocketTable(Path proc, long refreshNanos, LongSupplier nanoClock) {
		this.proc = proc;
		this.refreshNanos = refreshNanos;
		this.nanoClock = nanoClock;
		this.available = Files.isReadable(proc.resolve("net/tcp"));
	}

	/** Whether the kernel's socket tables can be read here. */
	public boolean available() {
		return this.available;
	}

	/**
	 * Pulse's sockets to a remote address, by state.
	 * @param remote ip:port as {@link ProcNetTcp#key} writes it
	 * @return counts per state present; empty when there is none
	 */
	public synchronized Map<TcpState, Integer> sockets(String remote) {
		refreshIfStale();
		return this.table.getOrDefault(remote, Map.of());
	}

	/** Pulse's sockets to a remote address in one state. */
	public int count(String remote, TcpState state) {
		return sockets(remote).getOrDefault(state, 0);
	}

	private void refreshIfStale() {
		if (!this.available) {
			return;
		}
		long now = this.nanoClock.getAsLong();
		if (this.read && now - this.readNanos < this.refreshNanos) {
			return;
		}
		this.read = true;
		this.readNanos = now;
		try {
			this.table = readTable();
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Cannot read the socket table", ex);
			this.table = Map.of();
		}
	}

	private Map<String, Map<TcpState, Integer>> readTable() throws IOException {
		Set<Long> own = ownSocketInodes();
		Map<String, Map<TcpState, Integer>> counts = new HashMap<>();
		for (String file : new String[] { "net/tcp", "net/tcp6" }) {
			Path path = this.proc.resolve(file);
			if (!Files.isReadable(path)) {
				continue;
			}
			for (ProcNetTcp.Entry entry : ProcNetTcp.parse(Files.readString(path), ByteOrder.nativeOrder())) {
				boolean mine = (entry.inode() != 0) ? own.contains(entry.inode()) : entry.state() == TcpState.TIME_WAIT;
				if (mine) {
					counts.computeIfAbsent(entry.remote(), key -> new EnumMap<>(TcpState.class))
						.merge(entry.state(), 1, Integer::sum);
				}
			}
		}
		return counts;
	}

	private Set<Long> ownSocketInodes() throws IOException {
		Set<Long> inodes = new HashSet<>();
		try (DirectoryStream<Path> fds = Files.newDirectoryStream(this.proc.resolve("self/fd"))) {
			for (Path fd : fds) {
				String link;
				try {
					link = Files.readSymbolicLink(fd).toString();
				}
				catch (IOException ex) {
					// Closed between the listing and the read.
					continue;
				}
				if (link.startsWith(SOCKET_LINK) && link.endsWith("]")) {
					inodes.add(Long.parseLong(link, SOCKET_LINK.length(), link.length() - 1, 10));
				}
			}
		}
		return inodes;
	}

}
