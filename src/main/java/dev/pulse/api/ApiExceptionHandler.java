package dev.pulse.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every API error as {@code application/problem+json}. Spring's handler already does
 * that; this one adds an {@code errors} list naming every invalid field, so a client
 * fixes all of them in one round.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	@Override
	protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ProblemDetail problem = ex.getBody();
		List<Map<String, Object>> errors = ex.getBindingResult().getFieldErrors().stream().map(error -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("field", error.getField());
			entry.put("message", error.getDefaultMessage());
			return entry;
		}).toList();
		problem.setDetail(errors.size() + " invalid field(s)");
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	/**
	 * Every 429 carries {@code Retry-After}: one raised without it (Spring's own, or one
	 * added later) gets one second, the shortest window Pulse limits by.
	 */
	@Override
	protected ResponseEntity<Object> createResponseEntity(@Nullable Object body, HttpHeaders headers,
			HttpStatusCode statusCode, WebRequest request) {
		if (statusCode.value() == HttpStatus.TOO_MANY_REQUESTS.value()
				&& !headers.containsHeader(HttpHeaders.RETRY_AFTER)) {
			HttpHeaders withRetryAfter = new HttpHeaders();
			withRetryAfter.putAll(headers);
			withRetryAfter.set(HttpHeaders.RETRY_AFTER, "1");
			headers = withRetryAfter;
		}
		return super.createResponseEntity(body, headers, statusCode, request);
	}

	/**
	 * Tomcat cannot decode the form or query parameters (invalid bytes or escapes): the
	 * caller's error, not a 500.
	 */
	@ExceptionHandler(InvalidParameterException.class)
	@Nullable ResponseEntity<Object> handleInvalidParameters(InvalidParameterException ex, WebRequest request) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
				"The request's parameters cannot be decoded");
		return handleExceptionInternal(ex, problem, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
	}

}
