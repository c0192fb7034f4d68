package dev.pulse.probe;

/**
 * A {@code tcp://}, {@code tls://} or {@code grpc://} exchange that connected but did not
 * get the answer it expects: the reason says how ({@code premature-close},
 * {@code expect-failed}, {@code not-serving}, {@code grpc-error}).
 */
final class TcpAnswerException extends RuntimeException {

	private final FailureReason reason;

	TcpAnswerException(FailureReason reason, String message) {
		super(message, null, false, false);
		this.reason = reason;
	}

	FailureReason reason() {
		return this.reason;
	}

}
