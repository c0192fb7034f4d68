package dev.pulse.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.grpc.Attributes;
import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerTransportFilter;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.netty.handler.ssl.SslContextBuilder;
import org.jspecify.annotations.Nullable;

import dev.pulse.support.TestCertificates.Credential;

/**
 * A real gRPC server on loopback with grpc-java's own {@code grpc.health.v1} service
 * ({@link HealthStatusManager}), for the gRPC prober's tests: statuses are set per
 * service name, a slow variant answers after a delay, and one without the health service
 * answers {@code UNIMPLEMENTED}. It counts the connections it holds, so a test can see a
 * channel go away.
 */
public final class HealthServer implements AutoCloseable {

	private final Server server;

	private final @Nullable HealthStatusManager health;

	/** The remote addresses of the connections that became ready and are not gone. */
	private final java.util.Set<java.net.SocketAddress> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private HealthServer(@Nullable HealthStatusManager health, @Nullable BindableService service,
			@Nullable Credential tls) {
		this.health = health;
		NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
			.addTransportFilter(new ServerTransportFilter() {

				@Override
				public Attributes transportReady(Attributes attributes) {
					HealthServer.this.open.add(attributes.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
					return attributes;
				}

				@Override
				public void transportTerminated(Attributes attributes) {
					java.net.SocketAddress remote = attributes.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
					if (remote != null) {
						HealthServer.this.open.remove(remote);
					}
				}

			});
		if (health != null) {
			builder.addService(health.getHealthService());
		}
		if (service != null) {
			builder.addService(service);
		}
		try {
			if (tls != null) {
				builder
					.sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(tls.key(), tls.chain())).build());
			}
			this.server = builder.build().start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A server whose health service answers {@code SERVING} for the whole server. */
	public static HealthServer serving() {
		return new HealthServer(new HealthStatusManager(), null, null);
	}

	/** The same over TLS, presenting the credential's chain. */
	public static HealthServer serving(Credential tls) {
		return new HealthServer(new HealthStatusManager(), null, tls);
	}

	/** A gRPC server without a health service: every check is {@code UNIMPLEMENTED}. */
	public static HealthServer withoutHealth() {
		return new HealthServer(null, null, null);
	}

	/** A health service that answers {@code SERVING} after the delay. */
	public static HealthServer slow(Duration delay) {
		return new HealthServer(null, new HealthGrpc.HealthImplBase() {

			@Override
			public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> response) {
				try {
					Thread.sleep(delay.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				if (((ServerCallStreamObserver<HealthCheckResponse>) response).isCancelled()) {
					// The client's deadline passed: a frame written now is never sent,
					// and
					// grpc-java leaks its buffer when the server then shuts down.
					return;
				}
				response.onNext(HealthCheckResponse.newBuilder().setStatus(ServingStatus.SERVING).build());
				response.onCompleted();
			}

		}, null);
	}

	/** Set a service's status; {@code ""} is the whole server. */
	public HealthServer status(String service, ServingStatus status) {
		if (this.health == null) {
			throw new IllegalStateException("this server has no health service");
		}
		this.health.setStatus(service, status);
		return this;
	}

	public int port() {
		return ((InetSocketAddress) this.server.getListenSockets().get(0)).getPort();
	}

	/** {@code <scheme>://127.0.0.1:<port><path>}. */
	public String url(String scheme, String path) {
		return scheme + "://127.0.0.1:" + port() + path;
	}

	/** Connections the server holds now. */
	public int openConnections() {
		return this.open.size();
	}

	@Override
	public void close() {
		this.server.shutdownNow();
		try {
			this.server.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
