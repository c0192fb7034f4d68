package dev.pulse.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A loopback TCP proxy in front of a server (PostgreSQL for a replica, the Kubernetes API
 * for discovery), so a test can take the server away: {@link #cut()} closes the listening
 * socket (new connections are refused) and every open connection (the replica's pool sees
 * them reset); {@link #restore()} listens again on the same port. Plain blocking sockets,
 * two copying threads per connection: a replica's pool holds a handful.
 */
public final class TcpProxy implements AutoCloseable {

	private final String name;

	private final InetSocketAddress upstream;

	private final int port;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private @Nullable ServerSocket listener;

	private @Nullable Thread acceptor;

	private boolean closed;

	private TcpProxy(String name, InetSocketAddress upstream) throws IOException {
		this.name = name;
		this.upstream = upstream;
		this.listener = listen(0);
		this.port = this.listener.getLocalPort();
		this.acceptor = accept(this.listener);
	}

	public static TcpProxy start(String name, String host, int port) throws IOException {
		return new TcpProxy(name, new InetSocketAddress(host, port));
	}

	public int port() {
		return this.port;
	}

	/** Connections accepted so far. */
	public int accepted() {
		return this.accepted.get();
	}

	/**
	 * Refuse new connections and reset the open ones. Returns once the acceptor has left
	 * its accept call: until then the kernel keeps the listening socket alive (the
	 * blocked call holds it) and could still queue, and hand over, a connection.
	 */
	public synchronized void cut() throws IOException {
		if (this.listener != null) {
			this.listener.close();
			this.listener = null;
		}
		if (this.acceptor != null) {
			try {
				this.acceptor.join(5000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.acceptor = null;
		}
		for (Socket socket : this.open) {
			closeQuietly(socket);
		}
		this.open.clear();
	}

	/** Accept connections again, on the same port. */
	public synchronized void restore() throws IOException {
		if (this.listener == null && !this.closed) {
			this.listener = listen(this.port);
			this.acceptor = accept(this.listener);
		}
	}

	synchronized boolean isCut() {
		return this.listener == null;
	}

	private static ServerSocket listen(int port) throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.setReuseAddress(true);
		socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
		return socket;
	}

	private Thread accept(ServerSocket listener) {
		Thread acceptor = new Thread(() -> {
			while (!listener.isClosed()) {
				try {
					Socket client = listener.accept();
					if (listener.isClosed()) {
						// Handed over while cut() closed the listener: not accepted.
						closeQuietly(client);
						continue;
					}
					this.accepted.incrementAndGet();
					// Off the acceptor, which cut() joins while it holds the lock connect
					// takes.
					Thread connecting = new Thread(() -> connect(client), "db-proxy-" + this.name + "-connect");
					connecting.setDaemon(true);
					connecting.start();
				}
				catch (IOException ex) {
					// Closed by cut() or close().
				}
			}
		}, "db-proxy-" + this.name + "-accept");
		acceptor.setDaemon(true);
		acceptor.start();
		return acceptor;
	}

	private void connect(Socket client) {
		Socket server = new Socket();
		try {
			server.connect(this.upstream, 2000);
			client.setTcpNoDelay(true);
			server.setTcpNoDelay(true);
		}
		catch (IOException ex) {
			closeQuietly(client);
			closeQuietly(server);
			return;
		}
		this.open.add(client);
		this.open.add(server);
		synchronized (this) {
			if (this.listener == null) {
				// Cut while this one connected.
				closeQuietly(client);
				closeQuietly(server);
				return;
			}
		}
		pump(client, server, "up");
		pump(server, client, "down");
	}

	private void pump(Socket from, Socket to, String direction) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (SocketException ex) {
				// Reset or cut.
			}
			catch (IOException ex) {
				// The other side went away.
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.open.remove(from);
				this.open.remove(to);
			}
		}, "db-proxy-" + this.name + "-" + direction);
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

	@Override
	public synchronized void close() throws IOException {
		this.closed = true;
		cut();
	}

}
