package dev.pulse.api;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.pulse.security.ProblemResponses;

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
			ProblemResponses.write(response, HttpStatus.PAYLOAD_TOO_LARGE, "Request too large",
					"The body is larger than " + this.maxBytes + " bytes (pulse.limits.max-request-bytes)");
			return;
		}
		chain.doFilter(request, response);
	}

}
