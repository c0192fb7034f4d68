package dev.pulse.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import reactor.netty.ChannelPipelineConfigurer;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;

/**
 * Sees every connection Pulse opens: attaches its {@link ConnectionInfo} and the phase
 * timer, and counts connections opened and closed per remote host:port, the numbers that
 * show whether keep-alive reuse works.
 */
final class ConnectionTracker implements ChannelPipelineConfigurer {

	private final Map<String, HostCounters> hosts = new ConcurrentHashMap<>();

	@Override
	public void onChannelInit(ConnectionObserver observer, Channel channel, SocketAddress remoteAddress) {
		ConnectionInfo.of(channel);
		ChannelPipeline pipeline = channel.pipeline();
		if (pipeline.get(PhaseTimingHandler.NAME) == null) {
			// After the SSL handler when there is one, so the handshake-completion event
			// reaches us.
			if (pipeline.get(NettyPipeline.SslHandler) != null) {
				pipeline.addAfter(NettyPipeline.SslHandler, PhaseTimingHandler.NAME, PhaseTimingHandler.INSTANCE);
			}
			else {
				pipeline.addFirst(PhaseTimingHandler.NAME, PhaseTimingHandler.INSTANCE);
			}
		}
		HostCounters counters = this.hosts.computeIfAbsent(hostKey(remoteAddress), key -> new HostCounters());
		counters.opened.increment();
		channel.closeFuture().addListener(future -> counters.closed.increment());
	}

	/** Connections opened and closed so far, per host:port. */
	Map<String, HostCounters> hosts() {
		return this.hosts;
	}

	static String hostKey(SocketAddress address) {
		if (address instanceof InetSocketAddress inet) {
			return inet.getHostString() + ":" + inet.getPort();
		}
		return address.toString();
	}

	static final class HostCounters {

		final LongAdder opened = new LongAdder();

		final LongAdder closed = new LongAdder();

	}

}
