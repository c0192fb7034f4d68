package dev.pulse.target;

import java.util.List;
import java.util.Map;

/**
 * The request headers a probe can send: names that are HTTP tokens, values without
 * control characters. Netty refuses anything else on every probe, so such a target is
 * refused when it is declared instead. Messages name the header, never its value, which
 * may be a credential.
 */
final class HeaderRules {

	private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

	private HeaderRules() {
	}

	static void check(Map<String, String> headers, String key, List<InvalidTargetException.Violation> violations) {
		headers.forEach((name, value) -> {
			if (!isToken(name)) {
				violations.add(new InvalidTargetException.Violation(key, "header name '" + name
						+ "' must be an HTTP token (letters, digits and " + TOKEN_SYMBOLS + ")"));
			}
			else if (value == null) {
				violations.add(new InvalidTargetException.Violation(key, "header '" + name + "' has no value"));
			}
			else {
				int invalid = firstInvalid(value);
				if (invalid >= 0) {
					violations.add(new InvalidTargetException.Violation(key, "the value of header '" + name
							+ "' has a control character or leading whitespace at index " + invalid));
				}
			}
		});
	}

	private static boolean isToken(String name) {
		if (name.isEmpty()) {
			return false;
		}
		for (int i = 0; i < name.length(); i++) {
			char c = name.charAt(i);
			boolean alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
			if (!alphanumeric && TOKEN_SYMBOLS.indexOf(c) < 0) {
				return false;
			}
		}
		return true;
	}

	/** Netty's rule (RFC 9110 field-content): printable, with inner spaces and tabs. */
	private static int firstInvalid(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			boolean control = (c < 0x20 && c != '\t') || c == 0x7F;
			if (control || (i == 0 && (c == ' ' || c == '\t'))) {
				return i;
			}
		}
		return -1;
	}

}
