package dev.pulse.probe;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.resolver.dns.DnsNameResolverException;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.PrematureCloseException;

import dev.pulse.transport.BlockedAddressException;

/**
 * Maps what reactor-netty and Netty throw to a {@link FailureReason}. Walks the cause
 * chain, since Netty wraps the interesting exception more often than not.
 */
final class FailureClassifier {

	private FailureClassifier() {
	}

	static FailureReason classify(Throwable failure) {
		for (Throwable t = failure; t != null; t = cause(t)) {
			FailureReason reason = classifyOne(t);
			// A reset that failed the request's write surfaces as a premature close
			// caused by it: the reset is what happened.
			if (reason == FailureReason.PREMATURE_CLOSE && causedByReset(t)) {
				return FailureReason.CONNECTION_RESET;
			}
			if (reason != null) {
				return reason;
			}
		}
		return FailureReason.PROTOCOL_ERROR;
	}

	private static @Nullable Throwable cause(Throwable t) {
		return (t.getCause() == t) ? null : t.getCause();
	}

	private static boolean causedByReset(Throwable t) {
		for (Throwable c = cause(t); c != null; c = cause(c)) {
			if (c instanceof IOException && isReset(c.getMessage())) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable FailureReason classifyOne(Throwable t) {
		// First: a blocked address is also a ConnectException, and must never read as
		// refused.
		if (t instanceof BlockedAddressException) {
			return FailureReason.BLOCKED;
		}
		if (t instanceof BodyTooLargeException) {
			return FailureReason.BODY_TOO_LARGE;
		}
		if (t instanceof TcpAnswerException answer) {
			return answer.reason();
		}
		// Pool limits first: PoolAcquireTimeoutException is also a TimeoutException.
		if (isPoolLimit(t)) {
			return FailureReason.POOL_EXHAUSTED;
		}
		if (t instanceof TimeoutException || t instanceof ConnectTimeoutException || t instanceof ReadTimeoutException
				|| t instanceof SslHandshakeTimeoutException) {
			return FailureReason.TIMEOUT;
		}
		if (t instanceof UnknownHostException || t instanceof DnsNameResolverException) {
			return FailureReason.DNS;
		}
		if (t instanceof SSLException) {
			// A peer that resets during the handshake did not fail TLS: it reset.
			return (isReset(t.getMessage()) || causedByReset(t)) ? FailureReason.CONNECTION_RESET : FailureReason.TLS;
		}
		// Before ConnectException: a reset that races the connect's completion surfaces
		// as one ("finishConnect(..) failed: Connection reset by peer"), yet the peer had
		// accepted the connection.
		if (t instanceof IOException && isReset(t.getMessage())) {
			return FailureReason.CONNECTION_RESET;
		}
		if (t instanceof ConnectException) {
			return FailureReason.CONNECTION_REFUSED;
		}
		if (t instanceof PrematureCloseException || t instanceof ClosedChannelException) {
			return FailureReason.PREMATURE_CLOSE;
		}
		if (t instanceof DecoderException) {
			return FailureReason.PROTOCOL_ERROR;
		}
		return null;
	}

	/**
	 * reactor-netty shades reactor-pool into an internal package, so its exceptions are
	 * matched by simple name rather than imported from a package that may move.
	 */
	private static boolean isPoolLimit(Throwable t) {
		String name = t.getClass().getSimpleName();
		return name.equals("PoolAcquirePendingLimitException") || name.equals("PoolAcquireTimeoutException");
	}

	private static boolean isReset(@Nullable String message) {
		if (message == null) {
			return false;
		}
		String lower = message.toLowerCase(Locale.ROOT);
		return lower.contains("connection reset") || lower.contains("broken pipe");
	}

	/** A one-line message for the result, without stack or class noise. */
	static String describe(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root.getMessage() != null) ? root.getMessage() : root.getClass().getSimpleName();
		return (message.length() > 300) ? message.substring(0, 300) + "..." : message;
	}

}
