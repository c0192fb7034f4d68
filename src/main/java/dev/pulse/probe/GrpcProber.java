package dev.pulse.probe;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import dev.pulse.condition.Observation;
import dev.pulse.target.Target;
import dev.pulse.transport.PeerCertificate;
import dev.pulse.transport.ProbeTransport;

/**
 * Probes {@code grpc://host:port[/service]} (HTTP/2 without TLS) and {@code grpcs://}
 * (over TLS) with the standard {@code grpc.health.v1.Health/Check}: the URL's path, if
 * any, is the service name asked for. {@code SERVING} succeeds; another health status
 * fails with {@code not-serving}, a gRPC error status with {@code grpc-error}, and the
 * transport's failures with their usual reasons. {@code [BODY]} is the status name.
 * <p>
 * Each target keeps one channel (one HTTP/2 connection, reused across probes as the HTTP
 * pool reuses keep-alive connections) on Pulse's own event loops; a channel no probe has
 * used for three intervals is shut down, so removed targets leave nothing behind. The two
 * health messages are a string and an enum, encoded here by hand: no protobuf at run
 * time.
 */
final class GrpcProber implements Prober, AutoCloseable {

	/** The health service's serving statuses, by their protobuf number. */
	private static final String[] STATUSES = { "UNKNOWN", "SERVING", "NOT_SERVING", "SERVICE_UNKNOWN" };

	private static final MethodDescriptor<String, Integer> CHECK = MethodDescriptor.<String, Integer>newBuilder()
		.setType(MethodDescriptor.MethodType.UNARY)
		.setFullMethodName("grpc.health.v1.Health/Check")
		.setRequestMarshaller(new HealthCheckRequestMarshaller())
		.setResponseMarshaller(new HealthCheckResponseMarshaller())
		.setIdempotent(true)
		.build();

	private static final Duration MIN_IDLE = Duration.ofSeconds(30);

	private final ProbeTransport transport;

	private final Class<? extends SocketChannel> channelType;

	private final @Nullable TrustManagerFactory trust;

	private final Map<Key, Held> channels = new ConcurrentHashMap<>();

	/** Verifying and skip-verify TLS contexts, built on first use. */
	private final SslContext[] sslContexts = new SslContext[2];

	private final ScheduledFuture<?> sweep;

	GrpcProber(ProbeTransport transport) {
		this(transport, null);
	}

	/**
	 * A prober whose verifying {@code grpcs://} channels trust {@code trust} instead of
	 * the JVM's trust store (tests with their own CA).
	 */
	GrpcProber(ProbeTransport transport, @Nullable TrustManagerFactory trust) {
		this.transport = transport;
		this.channelType = transport.socketChannelType();
		this.trust = trust;
		this.sweep = transport.eventLoops().next().scheduleWithFixedDelay(this::sweepIdle, 1, 1, TimeUnit.SECONDS);
	}

	/** Channels held now, one per gRPC target probed lately. */
	int channels() {
		return this.channels.size();
	}

	@Override
	public Mono<ProbeResult> probe(Target target) {
		return Mono.defer(() -> {
			Instant startedAt = Instant.now();
			long start = System.nanoTime();
			Call call = new Call();
			ManagedChannel channel;
			try {
				channel = channel(target);
			}
			catch (SSLException | RuntimeException ex) {
				return Mono.just(call.result(target, startedAt, start, ex));
			}
			return call.check(channel, target)
				.timeout(target.timeout())
				.map(status -> call.result(target, startedAt, start, null))
				.onErrorResume(failure -> Mono.just(call.result(target, startedAt, start, failure)));
		});
	}

	private ManagedChannel channel(Target target) throws SSLException {
		boolean guarded = target.source() != Target.Source.CONFIG;
		boolean tls = target.secure();
		Key key = new Key(target.name(), target.url().getHost(), target.url().getPort(), tls,
				tls && target.insecureSkipVerify(), guarded);
		Held held = this.channels.get(key);
		if (held == null) {
			// Built outside computeIfAbsent, which must not block; a lost race shuts
			// its channel down.
			Held built = new Held(build(key), target.interval());
			held = this.channels.putIfAbsent(key, built);
			if (held == null) {
				held = built;
			}
			else {
				built.channel.shutdownNow();
			}
		}
		held.lastUsedNanos = System.nanoTime();
		held.interval = target.interval();
		return held.channel;
	}

	private ManagedChannel build(Key key) throws SSLException {
		ChannelHandler guard = key.guarded() ? this.transport.connectGuard() : null;
		Class<? extends SocketChannel> type = this.channelType;
		NettyChannelBuilder builder = NettyChannelBuilder.forAddress(key.host(), key.port())
			.eventLoopGroup(this.transport.eventLoops())
			.channelFactory(() -> {
				Channel channel = new ReflectiveChannelFactory<>(type).newChannel();
				if (guard != null) {
					// At the head end, as on the HTTP clients: every connect is checked.
					channel.pipeline().addFirst("pulse.connectGuard", guard);
				}
				return channel;
			}, InetSocketAddress.class)
			.maxInboundMessageSize(4096)
			.maxInboundMetadataSize(16 * 1024)
			// Pulse retries itself, counted and within the retry budget.
			.disableRetry()
			.userAgent(this.transport.userAgent())
			.withOption(io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS,
					(int) Math.min(Integer.MAX_VALUE, this.transport.properties().connectTimeout().toMillis()));
		if (key.tls()) {
			builder.useTransportSecurity().sslContext(sslContext(key.skipVerify()));
		}
		else {
			builder.usePlaintext();
		}
		return builder.build();
	}

	/**
	 * The TLS context of {@code grpcs://} channels, built once per kind: a JDK context's
	 * set-up is costly, and thousands of channels share two.
	 */
	private synchronized SslContext sslContext(boolean skipVerify) throws SSLException {
		int index = skipVerify ? 1 : 0;
		if (this.sslContexts[index] == null) {
			SslContextBuilder ssl = GrpcSslContexts.forClient();
			if (skipVerify) {
				ssl.trustManager(InsecureTrustManagerFactory.INSTANCE);
			}
			else if (this.trust != null) {
				ssl.trustManager(this.trust);
			}
			this.sslContexts[index] = ssl.build();
		}
		return this.sslContexts[index];
	}

	/** Shut down the channels of targets no longer probed. */
	private void sweepIdle() {
		long now = System.nanoTime();
		this.channels.entrySet().removeIf(entry -> {
			Held held = entry.getValue();
			Duration idle = Duration.ofNanos(now - held.lastUsedNanos);
			Duration allowed = held.interval.multipliedBy(3);
			if (idle.compareTo((allowed.compareTo(MIN_IDLE) > 0) ? allowed : MIN_IDLE) > 0) {
				held.channel.shutdownNow();
				return true;
			}
			return false;
		});
	}

	@Override
	public void close() {
		this.sweep.cancel(false);
		this.channels.values().forEach(held -> held.channel.shutdownNow());
		this.channels.clear();
	}

	/** A channel's identity: one per target and way of connecting. */
	private record Key(String target, String host, int port, boolean tls, boolean skipVerify, boolean guarded) {
	}

	private static final class Held {

		final ManagedChannel channel;

		volatile long lastUsedNanos = System.nanoTime();

		volatile Duration interval;

		Held(ManagedChannel channel, Duration interval) {
			this.channel = channel;
			this.interval = interval;
		}

	}

	/** One health check: its answer, peer and TLS session, as they arrive. */
	private static final class Call {

		private volatile @Nullable Integer status;

		private volatile boolean answered;

		private volatile @Nullable String peer;

		private volatile @Nullable PeerCertificate certificate;

		private volatile long headersNanos;

		Mono<Integer> check(ManagedChannel channel, Target target) {
			return Mono.<Integer>create(sink -> {
				ClientCall<String, Integer> call = channel.newCall(CHECK,
						CallOptions.DEFAULT.withDeadlineAfter(target.timeout().toNanos(), TimeUnit.NANOSECONDS));
				sink.onCancel(() -> call.cancel("the probe's deadline passed", null));
				call.start(new ClientCall.Listener<>() {

					@Override
					public void onHeaders(Metadata headers) {
						Call.this.headersNanos = System.nanoTime();
						see(call);
					}

					@Override
					public void onMessage(Integer message) {
						Call.this.status = message;
					}

					@Override
					public void onClose(Status closing, Metadata trailers) {
						see(call);
						Integer answer = Call.this.status;
						if (closing.isOk() && answer != null) {
							sink.success(answer);
						}
						else {
							sink.error(failure(closing, target));
						}
					}

				}, new Metadata());
				call.request(2);
				call.sendMessage(service(target));
				call.halfClose();
			});
		}

		/** The peer's address and TLS session, once the call has a transport. */
		private void see(ClientCall<?, ?> call) {
			this.answered = true;
			SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
			if (remote instanceof InetSocketAddress inet && inet.getAddress() != null) {
				this.peer = inet.getAddress().getHostAddress();
			}
			SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
			if (session != null && this.certificate == null) {
				this.certificate = PeerCertificate.of(session);
			}
		}

		private Throwable failure(Status status, Target target) {
			return switch (status.getCode()) {
				case DEADLINE_EXCEEDED -> new TimeoutException();
				// The transport's own failure (refused, reset, TLS, blocked) is the
				// cause.
				case UNAVAILABLE, CANCELLED, UNKNOWN -> (status.getCause() != null) ? status.asRuntimeException()
						: new TcpAnswerException(FailureReason.GRPC_ERROR, describe(status));
				default -> new TcpAnswerException(FailureReason.GRPC_ERROR, describe(status));
			};
		}

		private static String describe(Status status) {
			String text = status.getCode() + ((status.getDescription() != null) ? ": " + status.getDescription() : "");
			return (text.length() > 300) ? text.substring(0, 300) + "..." : text;
		}

		ProbeResult result(Target target, Instant startedAt, long start, @Nullable Throwable failure) {
			long end = System.nanoTime();
			Integer answer = this.status;
			String name = (answer != null) ? statusName(answer) : null;
			if (failure == null && answer != null && answer != 1) {
				failure = new TcpAnswerException(FailureReason.NOT_SERVING, "health status " + name);
			}
			PeerCertificate certificate = this.certificate;
			byte[] body = (name != null) ? name.getBytes(StandardCharsets.US_ASCII) : null;
			Observation observation = new GrpcObservation(this.answered, this.peer, Duration.ofNanos(end - start), body,
					(certificate != null) ? Duration.between(startedAt, certificate.chainNotAfter()) : null);
			Verdict verdict = Verdict.of(target, observation, failure,
					this.answered ? "waiting for the health status" : "connecting");
			Double ttfb = (this.headersNanos != 0) ? ProbeExchange.millis(start, this.headersNanos) : null;
			Phases phases = (ttfb != null) ? new Phases(null, null, null, null, ttfb, null) : Phases.NONE;
			return new ProbeResult(startedAt, verdict.reason() == null, null,
					ProbeExchange.millis(start, Math.max(start + 1, end)), phases, false, false, this.peer,
					(body != null) ? body.length : 0, verdict.reason(), verdict.error(), verdict.conditions(), 1,
					certificate);
		}

		private static String statusName(int number) {
			return (number >= 0 && number < STATUSES.length) ? STATUSES[number] : "UNRECOGNIZED(" + number + ")";
		}

		/** The service name asked for: the URL's path without its slashes. */
		private static String service(Target target) {
			String path = (target.url().getPath() != null) ? target.url().getPath() : "";
			return path.replace("/", "");
		}

	}

	/** What a gRPC probe observed, for its conditions. */
	private record GrpcObservation(boolean answered, @Nullable String peer, Duration elapsed,
			byte @Nullable [] statusName, @Nullable Duration certificateExpiration) implements Observation {

		@Override
		public @Nullable Integer status() {
			return null;
		}

		@Override
		public Duration responseTime() {
			return this.elapsed;
		}

		@Override
		public @Nullable String ip() {
			return this.peer;
		}

		@Override
		public Boolean connected() {
			return this.answered;
		}

		@Override
		public byte @Nullable [] body() {
			return this.statusName;
		}

	}

	/** {@code HealthCheckRequest { string service = 1; }}. */
	private static final class HealthCheckRequestMarshaller implements MethodDescriptor.Marshaller<String> {

		@Override
		public InputStream stream(String service) {
			byte[] name = service.getBytes(StandardCharsets.UTF_8);
			if (name.length == 0) {
				return new ByteArrayInputStream(new byte[0]);
			}
			byte[] message = new byte[1 + varintSize(name.length) + name.length];
			message[0] = 0x0a;
			int at = writeVarint(message, 1, name.length);
			System.arraycopy(name, 0, message, at, name.length);
			return new ByteArrayInputStream(message);
		}

		@Override
		public String parse(InputStream stream) {
			throw new UnsupportedOperationException("Pulse only sends health check requests");
		}

		private static int varintSize(int value) {
			int size = 1;
			while ((value >>>= 7) != 0) {
				size++;
			}
			return size;
		}

		private static int writeVarint(byte[] into, int at, int value) {
			while ((value & ~0x7f) != 0) {
				into[at++] = (byte) ((value & 0x7f) | 0x80);
				value >>>= 7;
			}
			into[at++] = (byte) value;
			return at;
		}

	}

	/**
	 * {@code HealthCheckResponse { ServingStatus status = 1; }}, skipping fields added
	 * later, as protobuf readers do.
	 */
	static final class HealthCheckResponseMarshaller implements MethodDescriptor.Marshaller<Integer> {

		@Override
		public InputStream stream(Integer status) {
			throw new UnsupportedOperationException("Pulse only reads health check responses");
		}

		@Override
		public Integer parse(InputStream stream) {
			try {
				byte[] bytes = stream.readNBytes(4096);
				int status = 0;
				int[] at = { 0 };
				while (at[0] < bytes.length) {
					long tag = readVarint(bytes, at);
					int field = (int) (tag >>> 3);
					int wire = (int) (tag & 7);
					switch (wire) {
						case 0 -> {
							long value = readVarint(bytes, at);
							if (field == 1) {
								status = (int) value;
							}
						}
						case 1 -> at[0] += 8;
						case 5 -> at[0] += 4;
						case 2 -> at[0] += (int) readVarint(bytes, at);
						default ->
							throw new IllegalArgumentException("wire type " + wire + " in a health check response");
					}
				}
				return status;
			}
			catch (IOException | ArrayIndexOutOfBoundsException ex) {
				throw new IllegalArgumentException("not a health check response", ex);
			}
		}

		/** A protobuf varint at {@code at[0]}, which is moved past it. */
		private static long readVarint(byte[] bytes, int[] at) {
			long value = 0;
			int shift = 0;
			int b;
			do {
				b = bytes[at[0]++] & 0xff;
				value |= (long) (b & 0x7f) << shift;
				shift += 7;
			}
			while ((b & 0x80) != 0);
			return value;
		}

	}

}
