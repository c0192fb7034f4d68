package dev.pulse.target;

import java.net.URI;
import java.net.URISyntaxException;

/** Hides URL user-info ({@code user:password@}) wherever a URL is shown. */
public final class UrlRedaction {

	private UrlRedaction() {
	}

	/**
	 * A URL as text with its user-info hidden; text that is not a URI is hidden after the
	 * scheme.
	 */
	public static String redact(String url) {
		try {
			return redact(new URI(url.trim()));
		}
		catch (URISyntaxException ex) {
			int at = url.lastIndexOf('@');
			int scheme = url.indexOf("://");
			return (at > 0 && scheme > 0 && at > scheme) ? url.substring(0, scheme + 3) + "******" + url.substring(at)
					: url;
		}
	}

	public static String redact(URI url) {
		if (url.getRawUserInfo() == null) {
			return url.toString();
		}
		try {
			return new URI(url.getScheme(), "******", url.getHost(), url.getPort(), url.getRawPath(), null, null)
				.toString() + ((url.getRawQuery() != null) ? "?" + url.getRawQuery() : "")
					+ ((url.getRawFragment() != null) ? "#" + url.getRawFragment() : "");
		}
		catch (URISyntaxException ex) {
			return url.getScheme() + "://******@" + url.getHost();
		}
	}

}
