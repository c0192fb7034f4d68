package dev.pulse.api;

import java.net.URI;
import java.net.URISyntaxException;

/** Hides URL user-info ({@code user:password@}) wherever a URL is shown. */
final class UrlRedaction {

	private UrlRedaction() {
	}

	static String redact(URI url) {
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
