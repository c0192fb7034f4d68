package dev.pulse.transport;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;
import reactor.netty.ChannelPipelineConfigurer;
import reactor.netty.ConnectionObserver;

/**
 * Keeps a guarded client off denied addresses, checked on the address actually connected
 * to (after DNS), so a name that resolves to a denied address, or re-resolves to one
 * later (DNS rebinding), never gets a connection.
 * <p>
 * Two steps. {@link #select} drops denied addresses from every resolved list, so a host
 * with both allowed and denied addresses only tries the allowed ones. Then the handler,
 * first in the pipeline towards the socket, fails every connect to a denied address with
 * {@link BlockedAddressException} before it reaches the socket. The selector never
 * returns an empty list: reactor-netty 1.3.6 turns that into an
 * {@code UnknownHostException} (a DNS failure, which it is not) and, for an IP-literal
 * host, leaves the registered channel open. Failing the connect promise instead makes
 * reactor-netty close the channel.
 */
@ChannelHandler.Sharable
final class ConnectGuard extends ChannelOutboundHandlerAdapter implements ChannelPipelineConfigurer {

	static final String NAME = "pulse.connectGuard";

	private final AddressPolicy policy;

	ConnectGuard(AddressPolicy policy) {
		this.policy = policy;
	}

	/**
	 * The resolved addresses worth trying: the allowed ones, or the first when none is.
	 */
	List<? extends SocketAddress> select(List<? extends SocketAddress> resolved) {
		List<SocketAddress> allowed = new ArrayList<>(resolved.size());
		for (SocketAddress address : resolved) {
			if (denial(address) == null) {
				allowed.add(address);
			}
		}
		if (allowed.isEmpty() && !resolved.isEmpty()) {
			// Handed on so connect() refuses it with the reason; see the class comment.
			return List.of(resolved.get(0));
		}
		return allowed;
	}

	@Override
	public void onChannelInit(ConnectionObserver observer, Channel channel, @Nullable SocketAddress remoteAddress) {
		if (channel.pipeline().get(NAME) == null) {
			// At the head end: the last handler a connect passes before the socket.
			channel.pipeline().addFirst(NAME, this);
		}
	}

	@Override
	public void connect(ChannelHandlerContext ctx, SocketAddress remoteAddress, @Nullable SocketAddress localAddress,
			ChannelPromise promise) throws Exception {
		String denial = denial(remoteAddress);
		if (denial != null) {
			promise.tryFailure(new BlockedAddressException(denial));
			return;
		}
		super.connect(ctx, remoteAddress, localAddress, promise);
	}

	/** Why connecting to an address is refused; null when it is allowed. */
	private @Nullable String denial(SocketAddress address) {
		if (!(address instanceof InetSocketAddress inet) || inet.getAddress() == null) {
			// Not a resolved IP address, so nothing can be checked: refuse.
			return "address " + address + " is not a resolved IP address";
		}
		Optional<String> denial = this.policy.denial(inet.getAddress());
		if (denial.isEmpty()) {
			return null;
		}
		String host = inet.getHostString();
		boolean literal = NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
		return literal ? denial.get() : "host " + host + ": " + denial.get();
	}

}
