package dev.pulse.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.servlet.filter.OrderedFormContentFilter;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.pulse.security.ProblemResponses;

/**
 * Refuses API requests whose body is larger than {@code pulse.limits.max-request-bytes}
 * with 413, so an oversized body costs neither memory nor parsing. A declared length is
 * refused before any byte is read; a chunked body, whose length nobody declares, is read
 * up to the limit and refused as soon as it passes it. It runs before any filter that
 * could read a body, Spring's form filter among them.
 */
@Component
@Order(OrderedFormContentFilter.DEFAULT_ORDER - 1)
class RequestSizeFilter extends OncePerRequestFilter {

	/** The request attribute holding an API request's body, as read within the limit. */
	static final String BODY_ATTRIBUTE = RequestSizeFilter.class.getName() + ".body";

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
			tooLarge(response);
			return;
		}
		if (request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
			// One byte past the limit is enough to know; the rest is never read. The
			// bytes
			// are kept for the request's lifetime, so a body Jackson refuses can be read
			// again to list every problem in it (UnreadableBodies).
			byte[] body = request.getInputStream().readNBytes(Math.toIntExact(this.maxBytes + 1));
			if (body.length > this.maxBytes) {
				tooLarge(response);
				return;
			}
			request.setAttribute(BODY_ATTRIBUTE, body);
			chain.doFilter(new BufferedBody(request, body), response);
			return;
		}
		if (request.getContentLengthLong() == 0) {
			request.setAttribute(BODY_ATTRIBUTE, new byte[0]);
		}
		chain.doFilter(request, response);
	}

	private void tooLarge(HttpServletResponse response) throws IOException {
		ProblemResponses.write(response, HttpStatus.PAYLOAD_TOO_LARGE, "Request too large",
				"The body is larger than " + this.maxBytes + " bytes (pulse.limits.max-request-bytes)");
	}

	/** A request whose body has already been read, within the limit. */
	private static final class BufferedBody extends HttpServletRequestWrapper {

		private final byte[] body;

		BufferedBody(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream bytes = new ByteArrayInputStream(this.body);
			return new ServletInputStream() {

				@Override
				public int read() throws IOException {
					return bytes.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) throws IOException {
					return bytes.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return bytes.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("The body is already read");
				}

			};
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

	}

}
