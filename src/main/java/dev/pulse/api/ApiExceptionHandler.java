package dev.pulse.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every API error as {@code application/problem+json}. Spring's handler already does
 * that; this one adds an {@code errors} list naming every invalid field, so a client
 * fixes all of them in one round.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

	private final JsonMapper mapper;

	private final UnreadableBodies unreadable;

	ApiExceptionHandler(JsonMapper mapper) {
		this.mapper = mapper;
		this.unreadable = new UnreadableBodies(mapper);
	}

	/**
	 * A body that is not JSON, or not the JSON the operation takes: every problem in it,
	 * with where it is (a JSON pointer, or the line and column of a syntax error), what
	 * was expected, and the known field an unknown one probably meant.
	 */
	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		byte[] body = (byte[]) request.getAttribute(RequestSizeFilter.BODY_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
		List<BodyError> errors = this.unreadable.explain(body, bodyType(request), ex);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status,
				errors.size() + " problem(s) in the request body");
		problem.setTitle("Unreadable request body");
		problem.setProperty("errors", errors);
		return handleExceptionInternal(ex, problem, headers, status, request);
	}

	/** The type of the handler's {@code @RequestBody} parameter, or null. */
	private @Nullable JavaType bodyType(WebRequest request) {
		if (request.getAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE,
				RequestAttributes.SCOPE_REQUEST) instanceof HandlerMethod handler) {
			for (MethodParameter parameter : handler.getMethodParameters()) {
				if (parameter.hasParameterAnnotation(RequestBody.class)) {
					return this.mapper.constructType(parameter.getGenericParameterType());
				}
			}
		}
		return null;
	}

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
