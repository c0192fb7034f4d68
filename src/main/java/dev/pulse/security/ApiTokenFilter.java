package dev.pulse.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /api/**} with bearer tokens: every write needs the write token; reads
 * need the read (or write) token only when one is set. Missing token: 401; wrong token:
 * 403; both as {@code application/problem+json}. Tokens are compared in constant time.
 * The actuator and Pulse's own {@code /heartbeat} are not guarded: probes and scrapers
 * must read them.
 */
@Component
public class ApiTokenFilter extends OncePerRequestFilter {

	private static final Logger logger = LoggerFactory.getLogger(ApiTokenFilter.class);

	private final byte[] writeDigest;

	private final byte @Nullable [] readDigest;

	public ApiTokenFilter(ApiSecurityProperties properties) {
		String write = properties.writeToken();
		if (write == null || write.isBlank()) {
			write = generate();
			// As Spring Security does with its generated password: once, so it can be
			// copied.
			logger.warn("\n\nUsing generated write token: {}\nSet pulse.api.write-token to choose your own.\n", write);
		}
		this.writeDigest = digest(write);
		this.readDigest = (properties.readToken() == null || properties.readToken().isBlank()) ? null
				: digest(properties.readToken());
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		boolean write = isWrite(request);
		if (!write && this.readDigest == null) {
			chain.doFilter(request, response);
			return;
		}
		String token = bearer(request.getHeader(HttpHeaders.AUTHORIZATION));
		if (token == null) {
			reject(response, HttpStatus.UNAUTHORIZED, "Authentication required",
					write ? "This request needs the write token: Authorization: Bearer <pulse.api.write-token>"
							: "This request needs the read token: Authorization: Bearer <pulse.api.read-token>");
			return;
		}
		byte[] presented = digest(token);
		boolean allowed = MessageDigest.isEqual(presented, this.writeDigest)
				|| (!write && this.readDigest != null && MessageDigest.isEqual(presented, this.readDigest));
		if (!allowed) {
			reject(response, HttpStatus.FORBIDDEN, "Forbidden",
					write ? "The token does not allow writes" : "The token does not allow reads");
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * Writes change state; the condition dry run only computes, so it counts as a read.
	 */
	private static boolean isWrite(HttpServletRequest request) {
		String method = request.getMethod();
		if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
			return false;
		}
		return !(method.equals("POST") && request.getRequestURI().equals("/api/conditions/evaluate"));
	}

	private static @Nullable String bearer(@Nullable String header) {
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		String token = header.substring(7).trim();
		return token.isEmpty() ? null : token;
	}

	private static void reject(HttpServletResponse response, HttpStatus status, String title, String detail)
			throws IOException {
		if (status == HttpStatus.UNAUTHORIZED) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"pulse\"");
		}
		ProblemResponses.write(response, status, title, detail);
	}

	/** Hash first, so the comparison takes the same time whatever the lengths. */
	private static byte[] digest(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is always available", ex);
		}
	}

	private static String generate() {
		byte[] random = new byte[24];
		new SecureRandom().nextBytes(random);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
	}

}
