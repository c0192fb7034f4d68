package dev.pulse.api;

import java.io.IOException;
import java.io.PrintWriter;

import org.apache.catalina.Container;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

import dev.pulse.security.ProblemResponses;

/**
 * Tomcat refuses some requests before Spring sees them (an encoded slash or an invalid
 * escape in the path, headers too large) and answers those with its own HTML page. This
 * makes those answers {@code application/problem+json} too, so every error of Pulse has
 * one shape.
 */
@Component
class TomcatProblemReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

	@Override
	public void customize(TomcatServletWebServerFactory factory) {
		factory.addContextCustomizers(context -> {
			Container parent = context.getParent();
			if (parent instanceof StandardHost host) {
				host.setErrorReportValveClass(ProblemReportValve.class.getName());
			}
		});
	}

	/**
	 * Writes Tomcat's own error answers as problem+json; public, because Tomcat creates
	 * it by name.
	 */
	public static class ProblemReportValve extends ErrorReportValve {

		@Override
		protected void report(Request request, Response response, Throwable throwable) {
			int status = response.getStatus();
			if (status < 400 || response.getContentWritten() > 0) {
				return;
			}
			HttpStatus known = HttpStatus.resolve(status);
			String title = (known != null) ? known.getReasonPhrase() : "Error";
			try {
				response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
				response.setCharacterEncoding("UTF-8");
				PrintWriter writer = response.getReporter();
				if (writer != null) {
					writer.write(ProblemResponses.json(status, title,
							"The server refused the request before it reached the API (" + title + ")"));
				}
			}
			catch (IOException | IllegalStateException ex) {
				// Already committed: nothing more can be said.
			}
		}

	}

}
