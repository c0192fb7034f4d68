package dev.pulse.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Writes an {@code application/problem+json} answer from a servlet filter, where Spring
 * MVC's exception handling does not reach. Titles and details are Pulse's own fixed
 * texts, never caller input, so they need no JSON escaping.
 */
public final class ProblemResponses {

	private ProblemResponses() {
	}

	public static void write(HttpServletResponse response, HttpStatus status, String title, String detail)
			throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getOutputStream().write(json(status.value(), title, detail).getBytes(StandardCharsets.UTF_8));
	}

	/** The problem as JSON text. */
	public static String json(int status, String title, String detail) {
		return "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\"" + detail
				+ "\"}";
	}

}
