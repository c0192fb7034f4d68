package dev.pulse.probe;

/**
 * The response body passed {@code pulse.transport.max-body-bytes}; reading stopped there.
 */
final class BodyTooLargeException extends RuntimeException {

	BodyTooLargeException(long limit) {
		super("response body exceeds max-body-bytes (" + limit + " bytes)", null, false, false);
	}

}
