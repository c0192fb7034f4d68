package dev.pulse.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.jspecify.annotations.Nullable;

/**
 * The article's TCP heartbeat server, and the ways it goes wrong: on a healthy connection
 * it answers every {@code 0x01} ping with a {@code 0x02} pong and resets its read
 * deadline on every ping, closing a connection that stays silent past it. The other
 * behaviours stand for the faults a TCP probe meets. Loopback only; every connection
 * thread ends when the server closes.
 */
public final class HeartbeatServer implements AutoCloseable {

	/** What the server does with each connection. */
	public enum Behaviour {

		/** The article's server: a pong for every ping. */
		PONG,

		/** Accepts and never answers. */
		HANG,

		/** Sends half a pong frame ({@code PO}) and closes. */
		HALF_ANSWER,

		/** Answers every read with {@code NOPE} and keeps the connection open. */
		WRONG_ANSWER,

		/** Closes at once, without a byte. */
		CLOSE,

		/** Resets the connection at once (RST). */
		RESET,

		/** Answers each ping after a second. */
		SLOW_PONG,

		/** Sends a banner on connect, as SSH and SMTP servers do. */
		BANNER

	}

	/** The silence after which the article's server drops a connection. */
	static final Duration READ_DEADLINE = Duration.ofSeconds(10);

	private final ServerSocket listener;

	private final Behaviour behaviour;

	private final ExecutorService threads = Executors.newCachedThreadPool(task -> {
		Thread thread = new Thread(task, "heartbeat-server");
		thread.setDaemon(true);
		return thread;
	});

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger pings = new AtomicInteger();

	private final @Nullable SSLContext tls;

	private volatile @Nullable String lastServerName;

	private HeartbeatServer(Behaviour behaviour, @Nullable SSLContext tls) throws IOException {
		this.behaviour = behaviour;
		this.tls = tls;
		this.listener = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
		this.threads.execute(this::accept);
	}

	public static HeartbeatServer start(Behaviour behaviour) {
		return start(behaviour, null);
	}

	/**
	 * A server that speaks its protocol over TLS when given a context: it shakes hands on
	 * every connection first (a failed handshake closes it), then behaves.
	 */
	public static HeartbeatServer start(Behaviour behaviour, @Nullable SSLContext tls) {
		try {
			return new HeartbeatServer(behaviour, tls);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/** The host name the last TLS client asked for (SNI); null when none did. */
	public @Nullable String lastServerName() {
		return this.lastServerName;
	}

	/** {@code <scheme>://127.0.0.1:<port>}, such as {@code tls://127.0.0.1:4242}. */
	public String url(String scheme) {
		return scheme + "://127.0.0.1:" + port();
	}

	public int port() {
		return this.listener.getLocalPort();
	}

	/** {@code tcp://127.0.0.1:<port>}. */
	public String url() {
		return "tcp://127.0.0.1:" + port();
	}

	public int acceptedConnections() {
		return this.accepted.get();
	}

	/** Connections the server still holds open. */
	public int openConnections() {
		return this.open.size();
	}

	/** Pings answered (or, for the faulty behaviours, read). */
	public int pings() {
		return this.pings.get();
	}

	private void accept() {
		while (!this.listener.isClosed()) {
			try {
				Socket socket = this.listener.accept();
				this.accepted.incrementAndGet();
				this.open.add(socket);
				this.threads.execute(() -> serve(socket));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket accepted) {
		Socket socket = accepted;
		try (accepted) {
			accepted.setSoTimeout((int) READ_DEADLINE.toMillis());
			if (this.tls != null) {
				SSLSocket secure = (SSLSocket) this.tls.getSocketFactory().createSocket(accepted, null, true);
				secure.setUseClientMode(false);
				secure.startHandshake();
				if (secure.getSession() instanceof ExtendedSSLSession session) {
					session.getRequestedServerNames()
						.stream()
						.filter(SNIHostName.class::isInstance)
						.findFirst()
						.ifPresent(name -> this.lastServerName = ((SNIHostName) name).getAsciiName());
				}
				socket = secure;
			}
			InputStream in = socket.getInputStream();
			OutputStream out = socket.getOutputStream();
			switch (this.behaviour) {
				case CLOSE -> {
					return;
				}
				case RESET -> {
					socket.setSoLinger(true, 0);
					return;
				}
				case HALF_ANSWER -> {
					out.write("PO".getBytes(StandardCharsets.US_ASCII));
					out.flush();
					return;
				}
				case BANNER -> {
					out.write("SSH-2.0-HeartbeatServer\r\n".getBytes(StandardCharsets.US_ASCII));
					out.flush();
				}
				default -> {
				}
			}
			for (int b = in.read(); b != -1; b = in.read()) {
				// Every byte read resets the read deadline: a ping keeps the connection.
				this.pings.incrementAndGet();
				switch (this.behaviour) {
					case PONG -> {
						if (b == 0x01) {
							out.write(0x02);
							out.flush();
						}
					}
					case SLOW_PONG -> {
						Thread.sleep(1000);
						out.write(0x02);
						out.flush();
					}
					case WRONG_ANSWER -> {
						out.write("NOPE".getBytes(StandardCharsets.US_ASCII));
						out.flush();
					}
					default -> {
						// HANG and BANNER read and never answer.
					}
				}
			}
		}
		catch (SocketTimeoutException ex) {
			// Silent past the read deadline: dropped, as the article's server does.
		}
		catch (IOException ex) {
			// The client went away.
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.open.remove(accepted);
			closeQuietly(socket);
		}
	}

	/** Close every connection the server holds, as a restarted server would. */
	public void dropConnections() {
		for (Socket socket : this.open) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
	}

	@Override
	public void close() {
		try {
			this.listener.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		for (Socket socket : this.open) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
		this.threads.shutdownNow();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
	}

}
