package dev.pulse.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A port on {@code 127.0.0.1} whose accept queue is full: a listening socket with backlog
 * 1 that never accepts, filled with held connections. Linux then drops further SYNs
 * instead of refusing them, so a client's connect neither succeeds nor fails until its
 * connect timeout: an overloaded server whose process no longer accepts, or a
 * SYN-dropping firewall.
 */
public final class FullBacklog implements AutoCloseable {

	private static final int MAX_FILLERS = 16;

	private static final int FILL_CONNECT_TIMEOUT_MS = 200;

	private final ServerSocket listener;

	private final List<Socket> fillers;

	private FullBacklog(ServerSocket listener, List<Socket> fillers) {
		this.listener = listener;
		this.fillers = fillers;
	}

	/**
	 * Listens and connects until a connect times out, which shows the queue is full.
	 * @throws IllegalStateException if 16 connections all succeed (a kernel that never
	 * drops SYNs on a full queue)
	 */
	public static FullBacklog start() {
		List<Socket> fillers = new ArrayList<>();
		ServerSocket listener = null;
		try {
			listener = new ServerSocket();
			listener.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 }), 0), 1);
			for (int i = 0; i < MAX_FILLERS; i++) {
				Socket socket = new Socket();
				try {
					socket.connect(listener.getLocalSocketAddress(), FILL_CONNECT_TIMEOUT_MS);
					fillers.add(socket);
				}
				catch (SocketTimeoutException full) {
					socket.close();
					return new FullBacklog(listener, fillers);
				}
			}
			throw new IllegalStateException(MAX_FILLERS + " connections to a backlog of 1 all succeeded: "
					+ "this kernel does not drop SYNs on a full accept queue");
		}
		catch (IOException | RuntimeException ex) {
			closeAll(listener, fillers);
			throw (ex instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException("cannot fill an accept queue", ex);
		}
	}

	/** The port nobody accepts on. */
	public int port() {
		return this.listener.getLocalPort();
	}

	/** {@code "http://127.0.0.1:<port><path>"}. */
	public String url(String path) {
		return "http://127.0.0.1:" + port() + path;
	}

	/** Connections that filled the queue. */
	public int fillers() {
		return this.fillers.size();
	}

	/** Closes the held connections and the listening socket. */
	@Override
	public void close() {
		closeAll(this.listener, this.fillers);
	}

	private static void closeAll(ServerSocket listener, List<Socket> fillers) {
		for (Socket socket : fillers) {
			closeQuietly(socket);
		}
		closeQuietly(listener);
	}

	private static void closeQuietly(AutoCloseable closeable) {
		if (closeable == null) {
			return;
		}
		try {
			closeable.close();
		}
		catch (Exception ex) {
			// Closing a test fixture: nothing left to do with the failure.
		}
	}

}
