package dev.pulse.support;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import io.netty.handler.ssl.SslContext;

import org.springframework.util.unit.DataSize;

import dev.pulse.transport.ProbeTransport;
import dev.pulse.transport.TransportProperties;

/** {@link TransportProperties} for tests: the production defaults, each overridable. */
public final class TestTransport {

	private int maxConnectionsPerHost = 8;

	private Duration maxIdleTime = Duration.ofSeconds(30);

	private int pendingAcquireMaxCount = 1000;

	private Duration pendingAcquireTimeout = Duration.ofSeconds(5);

	private Duration connectTimeout = Duration.ofSeconds(3);

	private DataSize maxBodyBytes = DataSize.ofMegabytes(1);

	private boolean followRedirects;

	private List<InetSocketAddress> dnsServers = List.of();

	private TestTransport() {
	}

	public static TestTransport defaults() {
		return new TestTransport();
	}

	public TestTransport maxConnectionsPerHost(int max) {
		this.maxConnectionsPerHost = max;
		return this;
	}

	public TestTransport maxIdleTime(Duration maxIdleTime) {
		this.maxIdleTime = maxIdleTime;
		return this;
	}

	public TestTransport pendingAcquireMaxCount(int max) {
		this.pendingAcquireMaxCount = max;
		return this;
	}

	public TestTransport connectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
		return this;
	}

	public TestTransport followRedirects() {
		this.followRedirects = true;
		return this;
	}

	/** Ask these name servers instead of the system's (see {@link LoopbackDns}). */
	public TestTransport dnsServers(InetSocketAddress... servers) {
		this.dnsServers = List.of(servers);
		return this;
	}

	public TestTransport maxBodyBytes(DataSize max) {
		this.maxBodyBytes = max;
		return this;
	}

	public TransportProperties properties() {
		return new TransportProperties(this.maxConnectionsPerHost, this.maxIdleTime, Duration.ofMinutes(5),
				Duration.ofSeconds(15), this.pendingAcquireMaxCount, this.pendingAcquireTimeout, this.connectTimeout,
				this.maxBodyBytes, this.followRedirects, null);
	}

	public ProbeTransport build() {
		return new ProbeTransport(properties(), "Pulse/test");
	}

	/**
	 * A transport whose certificate-checking https clients trust {@code trusted} (see
	 * {@link TestCertificates#clientContext()}) instead of the JVM's trust store.
	 */
	public ProbeTransport build(SslContext trusted) {
		return new ProbeTransport(properties(), "Pulse/test", null, this.dnsServers, trusted);
	}

}
