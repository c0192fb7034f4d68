package dev.pulse.security;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Every HTTP route a running Pulse serves, read from its handler mappings at test time
 * (the API's controllers, springdoc and the exposed actuator endpoints), so a route added
 * later is covered without anyone listing it.
 */
final class Routes {

	static final Set<RequestMethod> MUTATING = EnumSet.of(RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH,
			RequestMethod.DELETE);

	private static final Pattern VARIABLE = Pattern.compile("\\{\\*?([^}:]+)(:[^}]*)?}");

	private Routes() {
	}

	/**
	 * Every method and path pattern. A mapping without methods answers all of them, so it
	 * is listed once per method. Spring Boot's error controller is left out: it only
	 * renders the errors of other requests and changes nothing.
	 */
	static List<Route> of(ApplicationContext context) {
		List<Route> routes = new ArrayList<>();
		for (RequestMappingInfoHandlerMapping mapping : context.getBeansOfType(RequestMappingInfoHandlerMapping.class)
			.values()) {
			for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
				HandlerMethod handler = entry.getValue();
				if (handler.getBean() instanceof ErrorController
						|| (handler.getBean() instanceof String name && isErrorController(context, name))) {
					continue;
				}
				Set<RequestMethod> methods = entry.getKey().getMethodsCondition().getMethods();
				for (RequestMethod method : methods.isEmpty() ? EnumSet.allOf(RequestMethod.class) : methods) {
					for (String pattern : entry.getKey().getPatternValues()) {
						routes.add(new Route(method, pattern, handler.getShortLogMessage()));
					}
				}
			}
		}
		routes.sort(Comparator.comparing(Route::pattern).thenComparing(Route::method));
		return routes;
	}

	private static boolean isErrorController(ApplicationContext context, String bean) {
		Class<?> type = context.getType(bean);
		return type != null && ErrorController.class.isAssignableFrom(type);
	}

	/**
	 * One route.
	 *
	 * @param method the HTTP method
	 * @param pattern the path pattern, such as {@code /api/targets/{name}}
	 * @param handler the handler, for messages
	 */
	record Route(RequestMethod method, String pattern, String handler) {

		boolean mutating() {
			return MUTATING.contains(this.method);
		}

		/** The pattern with every variable replaced by its value, or {@code x}. */
		String path(Map<String, String> values) {
			Matcher matcher = VARIABLE.matcher(this.pattern.replace("/**", "/x"));
			StringBuilder path = new StringBuilder();
			while (matcher.find()) {
				matcher.appendReplacement(path, Matcher.quoteReplacement(values.getOrDefault(matcher.group(1), "x")));
			}
			return matcher.appendTail(path).toString();
		}

		@Override
		public String toString() {
			return this.method + " " + this.pattern + " (" + this.handler + ")";
		}

	}

}
