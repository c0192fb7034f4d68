package dev.pulse.probe;

import java.time.Duration;
import java.time.Instant;

import io.netty.util.NetUtil;
import org.jspecify.annotations.Nullable;

import dev.pulse.condition.Observation;
import dev.pulse.target.Target;

/**
 * One probe as a whole, across a possible stale-connection repeat: when it started, the
 * attempt in progress, and the result it turns into.
 */
final class ProbeRun {

	final Instant timestamp;

	final long startNanos;

	volatile ProbeExchange current;

	volatile boolean staleRetried;

	ProbeRun(Instant timestamp, long startNanos) {
		this.timestamp = timestamp;
		this.startNanos = startNanos;
		this.current = new ProbeExchange(startNanos);
	}

	/**
	 * The result of this probe: the conditions evaluated on what it observed, and the
	 * reason and message of a failure.
	 */
	ProbeResult result(Target target, @Nullable Throwable failure) {
		long endNanos = System.nanoTime();
		ProbeExchange exchange = this.current;
		Duration elapsed = Duration.ofNanos(endNanos - this.startNanos);
		Observation observation = new ProbeObservation(exchange, this.timestamp, this.startNanos, elapsed,
				target.needsBody());
		Verdict verdict = Verdict.of(target, observation, failure, stalledPhase(exchange));
		return new ProbeResult(this.timestamp, verdict.reason() == null, exchange.status,
				ProbeExchange.millis(this.startNanos, Math.max(this.startNanos + 1, endNanos)),
				exchange.phases(isIpLiteral(target.url().getHost())), exchange.reused, this.staleRetried,
				exchange.peerAddress(), exchange.bodyBytes, verdict.reason(), verdict.error(), verdict.conditions(), 1,
				(exchange.connectionInfo != null) ? exchange.connectionInfo.certificate() : null);
	}

	private static String stalledPhase(ProbeExchange exchange) {
		if (exchange.connection == null) {
			return "waiting for a connection";
		}
		return exchange.responded() ? "reading the body" : "waiting for the response headers";
	}

	private static boolean isIpLiteral(@Nullable String host) {
		return host != null && (NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host));
	}

}
