package dev.pulse.transport;

import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;

import javax.net.ssl.SSLPeerUnverifiedException;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.jspecify.annotations.Nullable;

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

	/** When the peer's leaf certificate expires, read once per connection. */
	private static @Nullable Instant peerCertificateNotAfter(@Nullable SslHandler ssl) {
		if (ssl == null) {
			return null;
		}
		try {
			Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
			if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
				return leaf.getNotAfter().toInstant();
			}
		}
		catch (SSLPeerUnverifiedException ex) {
			// No certificate to report; [CERTIFICATE_EXPIRATION] stays unresolved.
		}
		return null;
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event instanceof SslHandshakeCompletionEvent completion && completion.isSuccess()) {
			ConnectionInfo info = ConnectionInfo.of(ctx.channel());
			info.tlsEndNanos = System.nanoTime();
			info.certificateNotAfter = peerCertificateNotAfter(ctx.pipeline().get(SslHandler.class));
		}
		super.userEventTriggered(ctx, event);
	}

}
