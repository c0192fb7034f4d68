package dev.pulse.api;

import java.util.List;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The API's errors, all {@code application/problem+json} through Spring's
 * {@link ProblemDetail}.
 */
final class Problems {

	private Problems() {
	}

	static ErrorResponseException of(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return new ErrorResponseException(status, problem, null);
	}

	/**
	 * A problem with a {@code reason}: a stable, machine-readable word for why the
	 * request was refused, where the status alone does not tell (the detail is for people
	 * and may change).
	 */
	static ErrorResponseException withReason(HttpStatus status, String title, String reason, String detail) {
		ErrorResponseException exception = of(status, title, detail);
		exception.getBody().setProperty("reason", reason);
		return exception;
	}

	/**
	 * A 429 with {@code Retry-After}, in whole seconds and at least 1, so a client knows
	 * when to try again.
	 */
	static ErrorResponseException tooManyRequests(String title, String reason, String detail, long retryAfterSeconds) {
		ErrorResponseException exception = withReason(HttpStatus.TOO_MANY_REQUESTS, title, reason, detail);
		exception.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfterSeconds)));
		return exception;
	}

	/**
	 * A problem that lists every invalid field or condition, so a client fixes them in
	 * one round.
	 */
	static ErrorResponseException withErrors(HttpStatus status, String title, String detail, List<?> errors) {
		ErrorResponseException exception = of(status, title, detail);
		exception.getBody().setProperty("errors", errors);
		return exception;
	}

}
