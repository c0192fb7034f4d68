package dev.pulse.transport;

import java.net.SocketAddress;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;

/**
 * Drops interim (1xx) responses before reactor-netty sees them, so the final response is
 * the one a probe reads. A client must accept any number of them before the final
 * response (RFC 9110, section 15.2); reactor-netty 1.3 handles only {@code 100 Continue}
 * and takes any other, such as {@code 103 Early Hints}, for the final response: the probe
 * then reported status 103 and the connection went back to the pool with the real
 * response still to come. {@code 100} is left to reactor-netty, and {@code 101} too,
 * since it ends HTTP/1.1 on the connection.
 * <p>
 * Netty's decoder turns a 1xx into a head followed by an empty last content; both are
 * dropped. One instance per channel, after the HTTP codec.
 */
final class InterimResponseFilter extends ChannelInboundHandlerAdapter {

	static final String NAME = "pulse.interimResponseFilter";

	private boolean dropping;

	private boolean forwarded;

	/** Adds the filter after the HTTP/1.1 codec of a new channel. */
	static void install(ConnectionObserver observer, Channel channel, @Nullable SocketAddress remoteAddress) {
		ChannelPipeline pipeline = channel.pipeline();
		if (pipeline.get(NettyPipeline.HttpCodec) != null && pipeline.get(NAME) == null) {
			pipeline.addAfter(NettyPipeline.HttpCodec, NAME, new InterimResponseFilter());
		}
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpResponse response && isDropped(response.status().code())) {
			// A full response (head and last content in one message) needs no follow-up.
			this.dropping = !(msg instanceof LastHttpContent);
			ReferenceCountUtil.release(msg);
			return;
		}
		if (this.dropping && msg instanceof HttpContent) {
			this.dropping = !(msg instanceof LastHttpContent);
			ReferenceCountUtil.release(msg);
			return;
		}
		this.forwarded = true;
		ctx.fireChannelRead(msg);
	}

	/**
	 * reactor-netty reads on demand (auto-read off): when everything read was dropped,
	 * nobody downstream asks for more, so ask here, as Netty's decoders do, or the final
	 * response would wait for a read that never comes.
	 */
	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (!this.forwarded && !ctx.channel().config().isAutoRead()) {
			ctx.read();
		}
		this.forwarded = false;
		ctx.fireChannelReadComplete();
	}

	private static boolean isDropped(int status) {
		return status >= 102 && status < 200;
	}

}
