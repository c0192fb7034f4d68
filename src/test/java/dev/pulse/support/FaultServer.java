package dev.pulse.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.jspecify.annotations.Nullable;

/**
 * A raw-socket HTTP/1.1 server on {@code 127.0.0.1} that reproduces, on demand, the
 * failures a heartbeat client meets in production: hung servers, stale keep-alive
 * connections, resets, trickling or endless bodies, non-HTTP answers and refused ports.
 *
 * <p>
 * Each accepted connection is served by its own daemon thread from a cached pool,
 * following the {@link Behaviour} chosen at {@link #start(Behaviour)}. The server binds
 * only the loopback address on an ephemeral port. {@link #close()} closes the listening
 * socket and every accepted socket, wakes every delay, and waits up to 5 s for all of its
 * threads to end.
 *
 * <p>
 * Requests are parsed just enough to stay in step on a keep-alive connection: the head is
 * read up to the blank line (at most 64 KiB) and a {@code Content-Length} body is
 * consumed; any method is accepted. A request carrying {@code Connection: close} is
 * answered and then the connection is closed, as a real server would, in every behaviour
 * that answers.
 *
 * <p>
 * Started with an {@link SSLContext}, the server speaks TLS on every accepted connection
 * (the handshake runs on the connection's thread before the behaviour) and
 * {@link #url(String)} is {@code https}.
 */
public final class FaultServer implements AutoCloseable {

	private static final InetAddress LOOPBACK = loopback();

	private static final int MAX_HEAD_BYTES = 64 * 1024;

	private static final int HUGE_BODY_CHUNK = 64 * 1024;

	private static final int TRICKLE_BODY_BYTES = 1000;

	private static final long CLOSE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

	private static final byte[] UP = ascii("{\"status\":\"UP\"}");

	private static final byte[] DOWN = ascii("{\"status\":\"DOWN\"}");

	private static final byte[] TRICKLE_BODY = trickleBody();

	private static final byte[] GARBAGE_PREFIX = ascii("\u0000\u0001garbage\r\n\r\n");

	private static final int GARBAGE_RANDOM_BYTES = 64;

	private static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");

	private static final int MAX_ENDLESS_CHUNKS = 100_000;

	private static final Duration INTERIM_PAUSE = Duration.ofMillis(50);

	private static final int GZIP_SEGMENT_BYTES = 1024 * 1024;

	private final ServerSocket serverSocket;

	private final Behaviour behaviour;

	private final @Nullable SSLContext tls;

	private final ExecutorService pool;

	private final Queue<Thread> threads = new ConcurrentLinkedQueue<>();

	private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

	private final AtomicInteger accepted = new AtomicInteger();

	private final AtomicInteger served = new AtomicInteger();

	private final AtomicBoolean closed = new AtomicBoolean();

	private volatile @Nullable String lastRequestHead;

	// Every delay waits on this latch, so close() ends all of them at once.
	private final CountDownLatch closing = new CountDownLatch(1);

	private FaultServer(ServerSocket serverSocket, Behaviour behaviour, @Nullable SSLContext tls) {
		this.serverSocket = serverSocket;
		this.behaviour = behaviour;
		this.tls = tls;
		String prefix = "fault-server-" + serverSocket.getLocalPort() + "-";
		AtomicInteger sequence = new AtomicInteger();
		this.pool = Executors.newCachedThreadPool(task -> {
			Thread thread = new Thread(task, prefix + sequence.incrementAndGet());
			thread.setDaemon(true);
			threads.add(thread);
			return thread;
		});
	}

	/**
	 * Binds {@code 127.0.0.1} on an ephemeral port and starts accepting connections
	 * served by {@code behaviour}.
	 */
	public static FaultServer start(Behaviour behaviour) {
		return start(behaviour, null);
	}

	/**
	 * Binds {@code 127.0.0.1} on an ephemeral port and starts accepting TLS connections
	 * (with {@code tls} as the server context; null for plain HTTP) served by
	 * {@code behaviour}.
	 */
	public static FaultServer start(Behaviour behaviour, @Nullable SSLContext tls) {
		Objects.requireNonNull(behaviour, "behaviour");
		ServerSocket serverSocket = null;
		try {
			serverSocket = new ServerSocket();
			serverSocket.bind(new InetSocketAddress(LOOPBACK, 0), 128);
			FaultServer server = new FaultServer(serverSocket, behaviour, tls);
			server.pool.execute(server::acceptLoop);
			return server;
		}
		catch (IOException | RuntimeException e) {
			closeQuietly(serverSocket);
			throw new IllegalStateException("cannot start FaultServer", e);
		}
	}

	/** The ephemeral port the server listens on. */
	public int port() {
		return serverSocket.getLocalPort();
	}

	/**
	 * {@code "http://127.0.0.1:<port><path>"}, or {@code https} when the server speaks
	 * TLS.
	 */
	public String url(String path) {
		return ((this.tls != null) ? "https" : "http") + "://127.0.0.1:" + port() + path;
	}

	/**
	 * The head (request line and headers) of the last request read completely, or null
	 * before the first one: what the client asked for, such as its
	 * {@code Accept-Encoding}.
	 */
	public @Nullable String lastRequestHead() {
		return this.lastRequestHead;
	}

	/** TCP connections accepted so far. */
	public int acceptedConnections() {
		return accepted.get();
	}

	/**
	 * Requests whose head (request line and headers, up to the blank line) was read
	 * completely.
	 */
	public int requestsServed() {
		return served.get();
	}

	/**
	 * Accepted sockets not yet closed. The server learns that the client closed a
	 * connection only when it next reads or writes on it, so a client-side close shows
	 * here once the behaviour gets to that point.
	 */
	public int openConnections() {
		return connections.size();
	}

	/**
	 * Closes the listening socket and every accepted socket, wakes every delay, and waits
	 * up to 5 s for all server threads to end. Idempotent.
	 * @throws IllegalStateException if a server thread is still alive after 5 s
	 */
	@Override
	public void close() {
		if (!closed.compareAndSet(false, true)) {
			return;
		}
		closing.countDown();
		closeQuietly(serverSocket);
		for (Socket socket : connections) {
			closeQuietly(socket);
		}
		pool.shutdownNow();
		long deadline = System.nanoTime() + CLOSE_TIMEOUT_NANOS;
		try {
			pool.awaitTermination(CLOSE_TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
			// A terminated pool can still have a worker finishing its exit path; join so
			// none outlives close().
			for (Thread thread : threads) {
				long remaining = deadline - System.nanoTime();
				if (remaining > 0) {
					TimeUnit.NANOSECONDS.timedJoin(thread, remaining);
				}
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return;
		}
		for (Thread thread : threads) {
			if (thread.isAlive()) {
				throw new IllegalStateException(
						"FaultServer thread " + thread.getName() + " still alive 5 s after close()");
			}
		}
	}

	/** A port on 127.0.0.1 where nothing listens (bind to 0, read the port, close). */
	public static int refusedPort() {
		try (ServerSocket socket = new ServerSocket()) {
			socket.bind(new InetSocketAddress(LOOPBACK, 0));
			return socket.getLocalPort();
		}
		catch (IOException e) {
			throw new IllegalStateException("cannot find a free port on 127.0.0.1", e);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Behaviours

	/**
	 * Healthy keep-alive server: every request on a connection is answered {@code 200},
	 * {@code Content-Type:
	 * application/json}, body {@code {"status":"UP"}}. The baseline against which the
	 * faults are measured.
	 */
	public static Behaviour healthy() {
		return new Behaviour.Healthy();
	}

	/**
	 * Keep-alive server answering every request with {@code code} and body
	 * {@code {"status":"DOWN"}}: a target whose health endpoint reports failure (503
	 * while draining, 500 on a broken dependency, ...). For 204 and 304 no body is sent,
	 * as HTTP requires.
	 */
	public static Behaviour status(int code) {
		return new Behaviour.Status(code);
	}

	/**
	 * Answers 200 with {@code Connection: close} and closes after the response: a server
	 * or proxy with keep-alive disabled, so every probe pays for a new connection.
	 */
	public static Behaviour closeEach() {
		return new Behaviour.CloseEach();
	}

	/**
	 * Keep-alive healthy server that waits {@code delay} before answering each request:
	 * an overloaded target or a slow dependency behind the health check, which a response
	 * timeout must cut short.
	 */
	public static Behaviour slow(Duration delay) {
		return new Behaviour.Slow(delay);
	}

	/**
	 * Accepts the connection and never answers; it holds the socket open until the client
	 * or the server closes it: a wedged process (deadlock, long GC pause, full worker
	 * pool) whose kernel still completes the TCP handshake. Only a response timeout saves
	 * the client. The bytes the client sends are drained and discarded, never parsed, so
	 * that a client-side close is noticed ({@link #openConnections()}).
	 */
	public static Behaviour hangAfterAccept() {
		return new Behaviour.HangAfterAccept();
	}

	/**
	 * Reads the request, sends the status line and headers with
	 * {@code Content-Length: 100}, then nothing: a server that stalls mid-response, which
	 * a timeout on the body (not only on the headers) must catch.
	 */
	public static Behaviour hangAfterHeaders() {
		return new Behaviour.HangAfterHeaders();
	}

	/**
	 * Reads the request, then sends a valid 200 response whose 1000-byte JSON body
	 * ({@code Content-Length:
	 * 1000}) arrives one byte at a time, {@code perByte} apart: a slow-loris style peer
	 * or a congested link, where every read makes progress but the whole response takes
	 * far too long. Per-read idle timeouts do not fire; only an overall deadline does.
	 * Keep-alive afterwards.
	 */
	public static Behaviour trickle(Duration perByte) {
		return new Behaviour.Trickle(perByte);
	}

	/**
	 * Reads the request, then closes with {@code SO_LINGER 0} so the client gets a TCP
	 * RST: a crashing process, a load balancer dropping the flow, or a firewall resetting
	 * it.
	 */
	public static Behaviour resetAfterRequest() {
		return new Behaviour.ResetAfterRequest();
	}

	/**
	 * Reads the request, writes non-HTTP bytes ({@code "\u0000\u0001garbage\r\n\r\n"}
	 * followed by random bytes) and closes: a port taken over by another protocol (TLS, a
	 * database, a debug agent) or a misrouted connection.
	 */
	public static Behaviour garbage() {
		return new Behaviour.Garbage();
	}

	/**
	 * Answers 200 with {@code Content-Length: bytes} and streams that many bytes in 64
	 * KiB writes, stopping quietly when the client goes away: a health endpoint that
	 * returns a huge payload, which a client must cap or abort without buffering it all.
	 * Keep-alive afterwards.
	 */
	public static Behaviour hugeBody(long bytes) {
		return new Behaviour.HugeBody(bytes);
	}

	/**
	 * Answers 200 with {@code Transfer-Encoding: chunked} and no {@code Content-Length},
	 * streaming {@code bytes} body bytes in 64 KiB chunks, stopping quietly when the
	 * client goes away: a streamed response whose size is unknown up front, so a client's
	 * body cap has to stop reading mid-stream instead of rejecting the response from its
	 * headers. Keep-alive afterwards.
	 */
	public static Behaviour hugeBodyWithoutLength(long bytes) {
		return new Behaviour.HugeBodyWithoutLength(bytes);
	}

	/**
	 * The classic stale keep-alive: on each connection the first request is answered
	 * normally with keep-alive (no {@code Connection: close}); when the next request
	 * arrives on the same connection, the socket is closed without an answer (FIN, not
	 * RST). This is what a client meets when it reuses a pooled connection that the
	 * server closed for idleness while the request was on its way.
	 */
	public static Behaviour closeIdleAfterFirstResponse() {
		return new Behaviour.CloseIdleAfterFirstResponse();
	}

	/**
	 * Keep-alive healthy server that closes (FIN) a connection idle for {@code idle}: a
	 * server or proxy keep-alive timeout shorter than the client pool's idle time, which
	 * leaves dead connections in the pool.
	 */
	public static Behaviour idleClose(Duration idle) {
		return new Behaviour.IdleClose(idle);
	}

	/**
	 * Reads the request, then sends the status line and headers of a valid 200 response
	 * one byte at a time, {@code perByte} apart, then its body at once: a peer so slow
	 * that even the response head takes too long, which the deadline must catch before
	 * any header is parsed. Keep-alive afterwards.
	 */
	public static Behaviour trickleHead(Duration perByte) {
		return new Behaviour.TrickleHead(perByte);
	}

	/**
	 * Accepts the connection and at once closes it with {@code SO_LINGER 0}, before
	 * reading a byte, so the client gets a TCP RST whether or not its request is out yet:
	 * a process dying as the connection arrives, or a firewall resetting new flows.
	 */
	public static Behaviour resetOnAccept() {
		return new Behaviour.ResetOnAccept();
	}

	/**
	 * Reads the request, answers 200 with {@code Transfer-Encoding: chunked}, sends one
	 * chunk of the body and closes (FIN) without the last chunk: a server that crashes or
	 * is killed mid-response.
	 */
	public static Behaviour truncatedChunked() {
		return new Behaviour.TruncatedChunked();
	}

	/**
	 * Reads the request, answers 200 with {@code Transfer-Encoding: chunked} and sends a
	 * 16-byte chunk every {@code every}, never the last chunk, until the client goes away
	 * (at most 100,000 chunks): a streaming endpoint (events, logs) probed by mistake,
	 * whose body never ends and stays small, so only the deadline ends it.
	 */
	public static Behaviour endlessChunked(Duration every) {
		return new Behaviour.EndlessChunked(every);
	}

	/**
	 * Answers every request 200 with {@code Content-Encoding: gzip}, whether or not the
	 * client asked for it, streaming (chunked, no length) a valid gzip stream of
	 * {@code expandedBytes} zero bytes, about a thousandth of that on the wire: a
	 * decompression bomb, which a client that inflates bodies would expand past any cap.
	 * {@code expandedBytes} is a positive multiple of 1 MiB. Keep-alive afterwards.
	 */
	public static Behaviour gzipBomb(long expandedBytes) {
		return new Behaviour.GzipBomb(expandedBytes);
	}

	/**
	 * Answers every request {@code 302 Found} with {@code Location: /loop}, keep-alive: a
	 * misconfigured redirect (http to https and back, a login page to itself) that a
	 * client following redirects must give up on.
	 */
	public static Behaviour redirectLoop() {
		return new Behaviour.RedirectLoop();
	}

	/**
	 * Reads the request, answers {@code HTTP/1.0 200} with body {@code {"status":"UP"}}
	 * and neither {@code Content-Length} nor chunking, and closes: the body ends at the
	 * close, as HTTP/1.0 servers and some embedded devices do.
	 */
	public static Behaviour http10WithoutLength() {
		return new Behaviour.Http10WithoutLength();
	}

	/**
	 * Keep-alive healthy server that sends the interim (1xx) responses {@code codes}
	 * before each final 200, each in its own write, and the 200 50 ms after them, as a
	 * server does while it prepares the final response: {@code 100 Continue}, or
	 * {@code 103 Early Hints} with a {@code Link} header, as CDNs send.
	 */
	public static Behaviour informational(int... codes) {
		return new Behaviour.Informational(Arrays.stream(codes).boxed().toList());
	}

	/**
	 * A gzip stream of {@code expandedBytes} zero bytes (a positive multiple of 1 MiB),
	 * made without compressing them all: one 1 MiB segment is deflated once, ended with a
	 * sync flush so it is byte-aligned and refers only to itself, and repeated.
	 */
	public static byte[] gzipOfZeros(long expandedBytes) {
		if (expandedBytes <= 0 || expandedBytes % GZIP_SEGMENT_BYTES != 0) {
			throw new IllegalArgumentException("expandedBytes must be a positive multiple of 1 MiB: " + expandedBytes);
		}
		byte[] zeros = new byte[GZIP_SEGMENT_BYTES];
		Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
		ByteArrayOutputStream segment = new ByteArrayOutputStream();
		try {
			deflater.setInput(zeros);
			byte[] buffer = new byte[64 * 1024];
			for (int round = 0; round < 1000; round++) {
				int n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
				segment.write(buffer, 0, n);
				if (n < buffer.length && deflater.needsInput()) {
					break;
				}
			}
		}
		finally {
			deflater.end();
		}
		long segments = expandedBytes / GZIP_SEGMENT_BYTES;
		CRC32 crc = new CRC32();
		ByteArrayOutputStream gzip = new ByteArrayOutputStream();
		// Header: magic, deflate, no flags, no mtime, no extra flags, unknown OS.
		gzip.writeBytes(new byte[] { 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff });
		byte[] compressed = segment.toByteArray();
		for (long i = 0; i < segments; i++) {
			gzip.writeBytes(compressed);
			crc.update(zeros);
		}
		// An empty final block (fixed Huffman, end-of-block only) ends the deflate
		// stream.
		gzip.writeBytes(new byte[] { 0x03, 0x00 });
		writeIntLittleEndian(gzip, (int) crc.getValue());
		writeIntLittleEndian(gzip, (int) expandedBytes);
		return gzip.toByteArray();
	}

	private static void writeIntLittleEndian(ByteArrayOutputStream out, int value) {
		for (int shift = 0; shift < 32; shift += 8) {
			out.write((value >>> shift) & 0xff);
		}
	}

	/**
	 * What the server does on each accepted connection; obtain one from the factories on
	 * {@link FaultServer}.
	 */
	public sealed interface Behaviour {

		/** See {@link FaultServer#healthy()}. */
		record Healthy() implements Behaviour {
		}

		/** See {@link FaultServer#status(int)}. */
		record Status(int code) implements Behaviour {
			public Status {
				// 1xx are interim responses; a client would wait for a final one that
				// never comes.
				if (code < 200 || code > 599) {
					throw new IllegalArgumentException("status code must be 200..599: " + code);
				}
			}
		}

		/** See {@link FaultServer#closeEach()}. */
		record CloseEach() implements Behaviour {
		}

		/** See {@link FaultServer#slow(Duration)}. */
		record Slow(Duration delay) implements Behaviour {
			public Slow {
				requireNotNegative(delay, "delay");
			}
		}

		/** See {@link FaultServer#hangAfterAccept()}. */
		record HangAfterAccept() implements Behaviour {
		}

		/** See {@link FaultServer#hangAfterHeaders()}. */
		record HangAfterHeaders() implements Behaviour {
		}

		/** See {@link FaultServer#trickle(Duration)}. */
		record Trickle(Duration perByte) implements Behaviour {
			public Trickle {
				requireNotNegative(perByte, "perByte");
			}
		}

		/** See {@link FaultServer#resetAfterRequest()}. */
		record ResetAfterRequest() implements Behaviour {
		}

		/** See {@link FaultServer#garbage()}. */
		record Garbage() implements Behaviour {
		}

		/** See {@link FaultServer#hugeBody(long)}. */
		record HugeBody(long bytes) implements Behaviour {
			public HugeBody {
				if (bytes < 0) {
					throw new IllegalArgumentException("bytes must not be negative: " + bytes);
				}
			}
		}

		/** See {@link FaultServer#hugeBodyWithoutLength(long)}. */
		record HugeBodyWithoutLength(long bytes) implements Behaviour {
			public HugeBodyWithoutLength {
				if (bytes < 0) {
					throw new IllegalArgumentException("bytes must not be negative: " + bytes);
				}
			}
		}

		/** See {@link FaultServer#closeIdleAfterFirstResponse()}. */
		record CloseIdleAfterFirstResponse() implements Behaviour {
		}

		/** See {@link FaultServer#idleClose(Duration)}. */
		record IdleClose(Duration idle) implements Behaviour {
			public IdleClose {
				requireNotNegative(idle, "idle");
				// A zero socket timeout means "wait forever", the opposite of what was
				// asked.
				if (idle.toMillis() < 1) {
					throw new IllegalArgumentException("idle must be at least 1 ms: " + idle);
				}
			}
		}

		/** See {@link FaultServer#trickleHead(Duration)}. */
		record TrickleHead(Duration perByte) implements Behaviour {
			public TrickleHead {
				requireNotNegative(perByte, "perByte");
			}
		}

		/** See {@link FaultServer#resetOnAccept()}. */
		record ResetOnAccept() implements Behaviour {
		}

		/** See {@link FaultServer#truncatedChunked()}. */
		record TruncatedChunked() implements Behaviour {
		}

		/** See {@link FaultServer#endlessChunked(Duration)}. */
		record EndlessChunked(Duration every) implements Behaviour {
			public EndlessChunked {
				requireNotNegative(every, "every");
			}
		}

		/** See {@link FaultServer#gzipBomb(long)}. */
		record GzipBomb(long expandedBytes) implements Behaviour {
			public GzipBomb {
				if (expandedBytes <= 0 || expandedBytes % GZIP_SEGMENT_BYTES != 0) {
					throw new IllegalArgumentException(
							"expandedBytes must be a positive multiple of 1 MiB: " + expandedBytes);
				}
			}
		}

		/** See {@link FaultServer#redirectLoop()}. */
		record RedirectLoop() implements Behaviour {
		}

		/** See {@link FaultServer#http10WithoutLength()}. */
		record Http10WithoutLength() implements Behaviour {
		}

		/** See {@link FaultServer#informational(int...)}. */
		record Informational(List<Integer> codes) implements Behaviour {
			public Informational {
				codes = List.copyOf(codes);
				for (int code : codes) {
					if (code < 100 || code > 199 || code == 101) {
						// 101 switches protocols: what follows is no longer HTTP/1.1.
						throw new IllegalArgumentException("interim status must be 1xx other than 101: " + code);
					}
				}
			}
		}

		private static void requireNotNegative(Duration duration, String name) {
			Objects.requireNonNull(duration, name);
			if (duration.isNegative()) {
				throw new IllegalArgumentException(name + " must not be negative: " + duration);
			}
		}

	}

	// ---------------------------------------------------------------------------------------------
	// Accepting and serving

	private void acceptLoop() {
		while (!closed.get()) {
			Socket socket;
			try {
				socket = serverSocket.accept();
			}
			catch (IOException e) {
				if (!closed.get()) {
					System.err.println("FaultServer on port " + port() + " stopped accepting: " + e);
				}
				return;
			}
			accepted.incrementAndGet();
			connections.add(socket);
			// close() sets `closed` before it walks `connections`, so either it sees this
			// socket or we see `closed`.
			if (closed.get()) {
				discard(socket);
				return;
			}
			try {
				pool.execute(() -> handle(socket));
			}
			catch (RejectedExecutionException e) {
				discard(socket);
				return;
			}
		}
	}

	private void discard(Socket socket) {
		closeQuietly(socket);
		connections.remove(socket);
	}

	private void handle(Socket socket) {
		try (socket) {
			// Without it, Nagle would batch the trickled bytes and hide the fault.
			socket.setTcpNoDelay(true);
			serve(new Connection(secure(socket)));
		}
		catch (IOException e) {
			// The client went away or close() closed the socket: both are normal ends for
			// a fault server.
		}
		finally {
			connections.remove(socket);
		}
	}

	/** The socket itself, or a server-side TLS layer over it when the server has TLS. */
	private Socket secure(Socket socket) throws IOException {
		SSLContext context = this.tls;
		if (context == null) {
			return socket;
		}
		SSLSocket secured = (SSLSocket) context.getSocketFactory().createSocket(socket, null, true);
		secured.setUseClientMode(false);
		return secured;
	}

	private void serve(Connection c) throws IOException {
		Behaviour b = behaviour;
		if (b instanceof Behaviour.Healthy) {
			answerEach(c, 200, UP, Duration.ZERO, Duration.ZERO);
		}
		else if (b instanceof Behaviour.Status s) {
			answerEach(c, s.code(), DOWN, Duration.ZERO, Duration.ZERO);
		}
		else if (b instanceof Behaviour.CloseEach) {
			if (readRequest(c, Duration.ZERO) != null) {
				writeResponse(c, 200, UP, true);
			}
		}
		else if (b instanceof Behaviour.Slow s) {
			answerEach(c, 200, UP, s.delay(), Duration.ZERO);
		}
		else if (b instanceof Behaviour.HangAfterAccept) {
			drainUntilClosed(c);
		}
		else if (b instanceof Behaviour.HangAfterHeaders) {
			if (readRequest(c, Duration.ZERO) != null) {
				c.out.write(responseHead(200, 100, false));
				c.out.flush();
				drainUntilClosed(c);
			}
		}
		else if (b instanceof Behaviour.Trickle t) {
			trickle(c, t.perByte());
		}
		else if (b instanceof Behaviour.ResetAfterRequest) {
			if (readRequest(c, Duration.ZERO) != null) {
				c.socket.setSoLinger(true, 0);
				c.socket.close();
			}
		}
		else if (b instanceof Behaviour.Garbage) {
			if (readRequest(c, Duration.ZERO) != null) {
				c.out.write(garbageBytes());
				c.out.flush();
			}
		}
		else if (b instanceof Behaviour.HugeBody h) {
			hugeBody(c, h.bytes(), false);
		}
		else if (b instanceof Behaviour.HugeBodyWithoutLength h) {
			hugeBody(c, h.bytes(), true);
		}
		else if (b instanceof Behaviour.CloseIdleAfterFirstResponse) {
			closeIdleAfterFirstResponse(c);
		}
		else if (b instanceof Behaviour.IdleClose i) {
			answerEach(c, 200, UP, Duration.ZERO, i.idle());
		}
		else if (b instanceof Behaviour.TrickleHead t) {
			trickleHead(c, t.perByte());
		}
		else if (b instanceof Behaviour.ResetOnAccept) {
			c.socket.setSoLinger(true, 0);
			c.socket.close();
		}
		else if (b instanceof Behaviour.TruncatedChunked) {
			if (readRequest(c, Duration.ZERO) != null) {
				c.out.write(chunkedHead(false));
				c.out.write(chunkFrame(UP, UP.length / 2));
				c.out.flush();
			}
		}
		else if (b instanceof Behaviour.EndlessChunked e) {
			endlessChunked(c, e.every());
		}
		else if (b instanceof Behaviour.GzipBomb g) {
			gzipBomb(c, gzipOfZeros(g.expandedBytes()));
		}
		else if (b instanceof Behaviour.RedirectLoop) {
			Request request;
			while ((request = readRequest(c, Duration.ZERO)) != null) {
				c.out.write(ascii("HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n"
						+ (request.close() ? "Connection: close\r\n" : "") + "\r\n"));
				c.out.flush();
				if (request.close()) {
					return;
				}
			}
		}
		else if (b instanceof Behaviour.Http10WithoutLength) {
			if (readRequest(c, Duration.ZERO) != null) {
				byte[] head = ascii("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n");
				byte[] message = Arrays.copyOf(head, head.length + UP.length);
				System.arraycopy(UP, 0, message, head.length, UP.length);
				c.out.write(message);
				c.out.flush();
			}
		}
		else if (b instanceof Behaviour.Informational i) {
			informational(c, i.codes());
		}
		else {
			throw new IllegalStateException("unknown behaviour " + b);
		}
	}

	/**
	 * Keep-alive loop: answer every request after {@code delay}; close when idle for
	 * {@code idle} (zero: never).
	 */
	private void answerEach(Connection c, int status, byte[] body, Duration delay, Duration idle) throws IOException {
		while (true) {
			Request request;
			try {
				request = readRequest(c, idle);
			}
			catch (SocketTimeoutException e) {
				return; // idle too long: handle() closes the socket with a FIN
			}
			if (request == null || !pause(delay)) {
				return;
			}
			writeResponse(c, status, body, request.close());
			if (request.close()) {
				return;
			}
		}
	}

	private void trickle(Connection c, Duration perByte) throws IOException {
		Request request;
		while ((request = readRequest(c, Duration.ZERO)) != null) {
			c.out.write(responseHead(200, TRICKLE_BODY.length, request.close()));
			c.out.flush();
			for (int i = 0; i < TRICKLE_BODY.length; i++) {
				if (i > 0 && !pause(perByte)) {
					return;
				}
				c.out.write(TRICKLE_BODY[i]);
				c.out.flush();
			}
			if (request.close()) {
				return;
			}
		}
	}

	private void hugeBody(Connection c, long bytes, boolean chunked) throws IOException {
		byte[] data = new byte[(int) Math.min(HUGE_BODY_CHUNK, Math.max(bytes, 1))];
		Arrays.fill(data, (byte) 'x');
		// A full chunk is the same on every write, framing included; only the last one
		// differs.
		byte[] full = chunked ? chunkFrame(data, data.length) : data;
		Request request;
		while ((request = readRequest(c, Duration.ZERO)) != null) {
			c.out.write(chunked ? chunkedHead(request.close()) : responseHead(200, bytes, request.close()));
			long remaining = bytes;
			while (remaining > 0) {
				// A client that stops reading blocks this write; close() unblocks it by
				// closing the socket.
				int n = (int) Math.min(data.length, remaining);
				if (n == data.length) {
					c.out.write(full);
				}
				else if (chunked) {
					c.out.write(chunkFrame(data, n));
				}
				else {
					c.out.write(data, 0, n);
				}
				remaining -= n;
			}
			if (chunked) {
				c.out.write(LAST_CHUNK);
			}
			c.out.flush();
			if (request.close()) {
				return;
			}
		}
	}

	private void trickleHead(Connection c, Duration perByte) throws IOException {
		Request request;
		while ((request = readRequest(c, Duration.ZERO)) != null) {
			byte[] head = responseHead(200, UP.length, request.close());
			for (int i = 0; i < head.length; i++) {
				if (i > 0 && !pause(perByte)) {
					return;
				}
				c.out.write(head[i]);
				c.out.flush();
			}
			c.out.write(UP);
			c.out.flush();
			if (request.close()) {
				return;
			}
		}
	}

	private void endlessChunked(Connection c, Duration every) throws IOException {
		if (readRequest(c, Duration.ZERO) == null) {
			return;
		}
		c.out.write(chunkedHead(false));
		byte[] chunk = chunkFrame(ascii("{\"tick\":\"....\"}\n"), 16);
		for (int i = 0; i < MAX_ENDLESS_CHUNKS && pause(i == 0 ? Duration.ZERO : every); i++) {
			// A client that went away fails this write, which ends the connection.
			c.out.write(chunk);
			c.out.flush();
		}
	}

	private void gzipBomb(Connection c, byte[] gzip) throws IOException {
		Request request;
		while ((request = readRequest(c, Duration.ZERO)) != null) {
			c.out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
					+ "Transfer-Encoding: chunked\r\n" + (request.close() ? "Connection: close\r\n" : "") + "\r\n"));
			for (int offset = 0; offset < gzip.length; offset += HUGE_BODY_CHUNK) {
				int n = Math.min(HUGE_BODY_CHUNK, gzip.length - offset);
				c.out.write(chunkFrame(Arrays.copyOfRange(gzip, offset, offset + n), n));
			}
			c.out.write(LAST_CHUNK);
			c.out.flush();
			if (request.close()) {
				return;
			}
		}
	}

	private void informational(Connection c, List<Integer> codes) throws IOException {
		Request request;
		while ((request = readRequest(c, Duration.ZERO)) != null) {
			for (int code : codes) {
				String link = (code == 103) ? "Link: </style.css>; rel=preload; as=style\r\n" : "";
				c.out.write(ascii("HTTP/1.1 " + code + " " + reason(code) + "\r\n" + link + "\r\n"));
				c.out.flush();
			}
			// Apart, so a client sees the interim responses in reads of their own.
			if (!pause(INTERIM_PAUSE)) {
				return;
			}
			writeResponse(c, 200, UP, request.close());
			if (request.close()) {
				return;
			}
		}
	}

	private void closeIdleAfterFirstResponse(Connection c) throws IOException {
		Request first = readRequest(c, Duration.ZERO);
		if (first == null) {
			return;
		}
		writeResponse(c, 200, UP, first.close());
		if (first.close()) {
			return;
		}
		// Consume the whole second request first: closing with unread bytes would send an
		// RST instead of a FIN.
		if (readRequest(c, Duration.ZERO) != null) {
			c.socket.shutdownOutput();
		}
	}

	private static void drainUntilClosed(Connection c) throws IOException {
		byte[] sink = new byte[8192];
		while (c.in.read(sink) >= 0) {
			// discard: this behaviour never answers
		}
	}

	/**
	 * Waits {@code delay} unless the server closes first; returns whether the caller
	 * should go on.
	 */
	private boolean pause(Duration delay) {
		if (delay.isZero()) {
			return !closed.get();
		}
		try {
			return !closing.await(delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	// ---------------------------------------------------------------------------------------------
	// HTTP/1.1 on the wire

	private static final class Connection {

		final Socket socket;

		final InputStream in;

		final OutputStream out;

		Connection(Socket socket) throws IOException {
			this.socket = socket;
			this.in = new BufferedInputStream(socket.getInputStream());
			this.out = socket.getOutputStream();
		}

	}

	private record Request(boolean close) {
	}

	/**
	 * Reads one request head and its {@code Content-Length} body. Returns {@code null}
	 * when the client closed the connection before sending a byte. With a positive
	 * {@code idle}, waiting longer than that for the first byte throws
	 * {@link SocketTimeoutException}.
	 */
	private Request readRequest(Connection c, Duration idle) throws IOException {
		c.socket.setSoTimeout((int) idle.toMillis());
		int first = c.in.read();
		if (first < 0) {
			return null;
		}
		// The idle limit applies between requests only, not to a request already under
		// way.
		c.socket.setSoTimeout(0);

		ByteArrayOutputStream head = new ByteArrayOutputStream(512);
		byte[] terminator = { '\r', '\n', '\r', '\n' };
		int matched = 0;
		int b = first;
		while (true) {
			head.write(b);
			if (head.size() > MAX_HEAD_BYTES) {
				writeError(c, 431, "Request Header Fields Too Large");
				throw new IOException("request head exceeds " + MAX_HEAD_BYTES + " bytes");
			}
			if (b == terminator[matched]) {
				matched++;
			}
			else {
				matched = b == '\r' ? 1 : 0;
			}
			if (matched == terminator.length) {
				break;
			}
			b = c.in.read();
			if (b < 0) {
				throw new EOFException("connection closed inside a request head");
			}
		}
		served.incrementAndGet();
		String text = head.toString(StandardCharsets.ISO_8859_1);
		lastRequestHead = text;

		String[] lines = text.split("\r\n");
		long contentLength = 0;
		boolean close = false;
		for (int i = 1; i < lines.length; i++) {
			int colon = lines[i].indexOf(':');
			if (colon <= 0) {
				continue;
			}
			String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
			String value = lines[i].substring(colon + 1).trim();
			if (name.equals("content-length")) {
				try {
					contentLength = Long.parseLong(value);
				}
				catch (NumberFormatException e) {
					contentLength = -1;
				}
				if (contentLength < 0) {
					writeError(c, 400, "Bad Request");
					throw new IOException("invalid Content-Length: " + value);
				}
			}
			else if (name.equals("connection")) {
				for (String token : value.split(",")) {
					close |= token.trim().equalsIgnoreCase("close");
				}
			}
		}
		skipBody(c.in, contentLength);
		return new Request(close);
	}

	private static void skipBody(InputStream in, long length) throws IOException {
		byte[] sink = new byte[8192];
		long remaining = length;
		while (remaining > 0) {
			int n = in.read(sink, 0, (int) Math.min(sink.length, remaining));
			if (n < 0) {
				throw new EOFException("connection closed inside a request body");
			}
			remaining -= n;
		}
	}

	private static void writeResponse(Connection c, int status, byte[] body, boolean close) throws IOException {
		// 204 and 304 never carry a body; a stray one would be read as the next response.
		boolean bodiless = status == 204 || status == 304;
		byte[] head = bodiless ? responseHead(status, -1, close) : responseHead(status, body.length, close);
		byte[] message = head;
		if (!bodiless) {
			message = Arrays.copyOf(head, head.length + body.length);
			System.arraycopy(body, 0, message, head.length, body.length);
		}
		// One write per response, so a keep-alive client never sees a response split by
		// the server.
		c.out.write(message);
		c.out.flush();
	}

	private static void writeError(Connection c, int status, String reason) throws IOException {
		c.out.write(ascii("HTTP/1.1 " + status + " " + reason + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
		c.out.flush();
	}

	/**
	 * Status line and headers; {@code contentLength < 0} omits Content-Type and
	 * Content-Length.
	 */
	private static byte[] responseHead(int status, long contentLength, boolean close) {
		StringBuilder head = new StringBuilder(128).append("HTTP/1.1 ")
			.append(status)
			.append(' ')
			.append(reason(status))
			.append("\r\n");
		if (contentLength >= 0) {
			head.append("Content-Type: application/json\r\n");
			head.append("Content-Length: ").append(contentLength).append("\r\n");
		}
		if (close) {
			head.append("Connection: close\r\n");
		}
		return ascii(head.append("\r\n").toString());
	}

	private static byte[] chunkedHead(boolean close) {
		return ascii("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
				+ (close ? "Connection: close\r\n" : "") + "\r\n");
	}

	/**
	 * One chunk of {@code length} bytes of {@code data}: size in hex, CRLF, data, CRLF.
	 */
	private static byte[] chunkFrame(byte[] data, int length) {
		byte[] size = ascii(Integer.toHexString(length) + "\r\n");
		byte[] frame = Arrays.copyOf(size, size.length + length + 2);
		System.arraycopy(data, 0, frame, size.length, length);
		frame[frame.length - 2] = '\r';
		frame[frame.length - 1] = '\n';
		return frame;
	}

	private static String reason(int status) {
		return switch (status) {
			case 100 -> "Continue";
			case 103 -> "Early Hints";
			case 200 -> "OK";
			case 201 -> "Created";
			case 202 -> "Accepted";
			case 204 -> "No Content";
			case 301 -> "Moved Permanently";
			case 302 -> "Found";
			case 304 -> "Not Modified";
			case 400 -> "Bad Request";
			case 401 -> "Unauthorized";
			case 403 -> "Forbidden";
			case 404 -> "Not Found";
			case 408 -> "Request Timeout";
			case 429 -> "Too Many Requests";
			case 500 -> "Internal Server Error";
			case 502 -> "Bad Gateway";
			case 503 -> "Service Unavailable";
			case 504 -> "Gateway Timeout";
			default -> "Status " + status;
		};
	}

	private static byte[] garbageBytes() {
		byte[] noise = new byte[GARBAGE_RANDOM_BYTES];
		// Fixed seed: the noise is arbitrary but a failing test sees the same bytes on
		// every run.
		new Random(0x5EED).nextBytes(noise);
		byte[] bytes = Arrays.copyOf(GARBAGE_PREFIX, GARBAGE_PREFIX.length + noise.length);
		System.arraycopy(noise, 0, bytes, GARBAGE_PREFIX.length, noise.length);
		return bytes;
	}

	/**
	 * A valid JSON body of exactly {@value #TRICKLE_BODY_BYTES} bytes:
	 * {@code {"status":"UP","pad":"...."}}.
	 */
	private static byte[] trickleBody() {
		String prefix = "{\"status\":\"UP\",\"pad\":\"";
		String suffix = "\"}";
		return ascii(prefix + ".".repeat(TRICKLE_BODY_BYTES - prefix.length() - suffix.length()) + suffix);
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	private static InetAddress loopback() {
		try {
			// The literal address, not "localhost": it must never resolve to ::1 or to
			// another interface.
			return InetAddress.getByAddress(new byte[] { 127, 0, 0, 1 });
		}
		catch (UnknownHostException e) {
			throw new ExceptionInInitializerError(e);
		}
	}

	private static void closeQuietly(AutoCloseable closeable) {
		if (closeable == null) {
			return;
		}
		try {
			closeable.close();
		}
		catch (Exception e) {
			// Closing during shutdown: nothing left to do with the failure.
		}
	}

}
