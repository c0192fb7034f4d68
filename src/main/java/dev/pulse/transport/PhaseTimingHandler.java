package dev.pulse.transport;

import java.net.SocketAddress;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Stamps a connection's TCP connect and TLS handshake times into its
 * {@link ConnectionInfo}. Stateless and shared by every channel, so timing costs no
 * allocation per connection.
 */
@ChannelHandler.Sharable
final class PhaseTimingHandler extends ChannelDuplexHandler {

	static final String NAME = "pulse.phaseTiming";

	static final PhaseTimingHandler INSTANCE = new PhaseTimingHandler();

	private PhaseTimingHandler() {
	}

	@Override
	public void connect(ChannelHandlerContext ctx, SocketAddress remoteAddress, SocketAddress localAddress,
			ChannelPromise promise) throws Exception {
		ConnectionInfo info = ConnectionInfo.of(ctx.channel());
		info.connectStartNanos = System.nanoTime();
		promise.addListener(future -> {
			if (future.isSuccess()) {
				info.connectEndNanos = System.nanoTime();
			}
		});
		super.connect(ctx, remoteAddress, localAddress, promise);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event instanceof SslHandshakeCompletionEvent completion && completion.isSuccess()) {
			ConnectionInfo info = ConnectionInfo.of(ctx.channel());
			info.tlsEndNanos = System.nanoTime();
			SslHandler ssl = ctx.pipeline().get(SslHandler.class);
			// Read once per connection; null leaves [CERTIFICATE_EXPIRATION] unresolved.
			info.certificate = (ssl != null) ? PeerCertificate.of(ssl.engine().getSession()) : null;
		}
		super.userEventTriggered(ctx, event);
	}

}
