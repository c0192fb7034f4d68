package dev.pulse.api;

import java.util.List;

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
	 * A problem that lists every invalid field or condition, so a client fixes them in
	 * one round.
	 */
	static ErrorResponseException withErrors(HttpStatus status, String title, String detail, List<?> errors) {
		ErrorResponseException exception = of(status, title, detail);
		exception.getBody().setProperty("errors", errors);
		return exception;
	}

}
