package dev.pulse.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses API requests whose declared body is larger than
 * {@code pulse.limits.max-request-bytes} with 413, before any byte is read, so an
 * oversized body costs neither memory nor parsing.
 */
@Component
class RequestSizeFilter extends OncePerRequestFilter {

	private final long maxBytes;

	RequestSizeFilter(ApiLimits limits) {
		this.maxBytes = limits.maxRequestBytes().toBytes();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > this.maxBytes) {
			response.setStatus(HttpStatus.PAYLOAD_TOO_LARGE.value());
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			String body = "{\"type\":\"about:blank\",\"title\":\"Request too large\",\"status\":413,\"detail\":\"The body is larger than "
					+ this.maxBytes + " bytes (pulse.limits.max-request-bytes)\"}";
			response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
			return;
		}
		chain.doFilter(request, response);
	}

}
