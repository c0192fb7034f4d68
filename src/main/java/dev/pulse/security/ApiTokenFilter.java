package dev.pulse.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /api/**} with bearer tokens: every write needs the write token; reads
 * need the read (or write) token only when one is set. Missing token: 401; wrong token:
 * 403; both as {@code application/problem+json}. Tokens are compared in constant time.
 * With a read token set, every actuator endpoint needs it too, except those in
 * {@link #OPEN_ACTUATOR_ENDPOINTS}, so an endpoint added later that shows targets is
 * guarded without anyone listing it. Pulse's own {@code /heartbeat} is not guarded:
 * probes must read it.
 */
@Component
public class ApiTokenFilter extends OncePerRequestFilter {

	private static final Logger logger = LoggerFactory.getLogger(ApiTokenFilter.class);

	/**
	 * The actuator endpoints that stay open whatever the tokens, since probes and
	 * scrapers read them and they show no target: Pulse's own health, its build
	 * information and its metrics. The links page at the base path stays open too.
	 */
	public static final Set<String> OPEN_ACTUATOR_ENDPOINTS = Set.of("health", "info", "prometheus");

	private final byte[] writeDigest;

	private final byte @Nullable [] readDigest;

	private final String actuatorPrefix;

	public ApiTokenFilter(ApiSecurityProperties properties,
			@Value("${management.endpoints.web.base-path:/actuator}") String actuatorBasePath) {
		this.actuatorPrefix = (actuatorBasePath.endsWith("/") ? actuatorBasePath : actuatorBasePath + "/");
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
		String path = path(request);
		return !path.startsWith("/api/") && !(this.readDigest != null && isGuardedActuator(path));
	}

	/**
	 * The decoded, normalised path without path parameters, as the handler mappings match
	 * it; the raw URI would let {@code /%61pi/...} or {@code /actuator;x/routing} pass.
	 */
	private static String path(HttpServletRequest request) {
		String pathInfo = request.getPathInfo();
		return request.getServletPath() + ((pathInfo != null) ? pathInfo : "");
	}

	private boolean isGuardedActuator(String path) {
		if (!path.startsWith(this.actuatorPrefix)) {
			return false;
		}
		String rest = path.substring(this.actuatorPrefix.length());
		int slash = rest.indexOf('/');
		String id = (slash < 0) ? rest : rest.substring(0, slash);
		return !id.isEmpty() && !OPEN_ACTUATOR_ENDPOINTS.contains(id);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// The handler mappings drop ";..." path parameters, so PUT /api/targets/a;b=c
		// would silently register "a". No Pulse path takes them: refuse, not guess.
		if (request.getRequestURI().indexOf(';') >= 0) {
			reject(response, HttpStatus.BAD_REQUEST, "Path parameters are not accepted",
					"The path must not contain ';': Pulse takes no path parameters, and a target name never holds one");
			return;
		}
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
		return !(method.equals("POST") && path(request).equals("/api/conditions/evaluate"));
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
