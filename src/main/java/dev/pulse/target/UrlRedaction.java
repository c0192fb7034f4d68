package dev.pulse.target;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hides the secrets of a URL wherever it is shown: its user-info ({@code user:password@})
 * and the values of query parameters whose names say they hold one ({@code token},
 * {@code api_key}, {@code X-Amz-Signature}, ...). The probe itself uses the URL as given.
 */
public final class UrlRedaction {

	static final String HIDDEN = "******";

	/**
	 * Words that mark a query parameter as a secret, matched within its name without case
	 * or separators ({@code apiKey}, {@code api-key} and {@code API_KEY} alike), as
	 * Sentry and the cloud SDKs scrub theirs.
	 */
	private static final Set<String> SECRET_WORDS = Set.of("token", "key", "secret", "password", "passwd", "pwd",
			"auth", "signature", "sig", "credential", "session", "jwt");

	private static final Pattern QUERY_PARAMETER = Pattern.compile("([^&=#]+)=([^&#]*)");

	private UrlRedaction() {
	}

	/**
	 * A URL as text with its secrets hidden; text that is not a URI is hidden after the
	 * scheme.
	 */
	public static String redact(String url) {
		try {
			return redact(new URI(url.trim()));
		}
		catch (URISyntaxException ex) {
			int at = url.lastIndexOf('@');
			int scheme = url.indexOf("://");
			String hidden = (at > 0 && scheme > 0 && at > scheme)
					? url.substring(0, scheme + 3) + HIDDEN + url.substring(at) : url;
			int query = hidden.indexOf('?');
			return (query < 0) ? hidden : hidden.substring(0, query + 1) + redactQuery(hidden.substring(query + 1));
		}
	}

	public static String redact(URI url) {
		String query = (url.getRawQuery() != null) ? "?" + redactQuery(url.getRawQuery()) : "";
		String fragment = (url.getRawFragment() != null) ? "#" + url.getRawFragment() : "";
		if (url.getRawUserInfo() == null) {
			if (url.getRawQuery() == null) {
				return url.toString();
			}
			String text = url.toString();
			return text.substring(0, text.indexOf('?')) + query + fragment;
		}
		try {
			return new URI(url.getScheme(), HIDDEN, url.getHost(), url.getPort(), url.getRawPath(), null, null)
				.toString() + query + fragment;
		}
		catch (URISyntaxException ex) {
			return url.getScheme() + "://" + HIDDEN + "@" + url.getHost();
		}
	}

	/** A raw query with the value of every secret parameter hidden. */
	static String redactQuery(String query) {
		Matcher parameter = QUERY_PARAMETER.matcher(query);
		StringBuilder redacted = new StringBuilder();
		while (parameter.find()) {
			String value = isSecret(parameter.group(1)) && !parameter.group(2).isEmpty() ? HIDDEN : parameter.group(2);
			parameter.appendReplacement(redacted, Matcher.quoteReplacement(parameter.group(1) + "=" + value));
		}
		parameter.appendTail(redacted);
		return redacted.toString();
	}

	private static boolean isSecret(String rawName) {
		String name = rawName.toLowerCase(Locale.ROOT).replaceAll("%[0-9a-f]{2}|[^a-z0-9]", "");
		for (String word : SECRET_WORDS) {
			if (name.contains(word)) {
				return true;
			}
		}
		return false;
	}

}
