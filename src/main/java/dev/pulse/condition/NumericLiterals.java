package dev.pulse.condition;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Reads the numbers a condition may be written with, following Go's {@code strconv} and
 * {@code time.ParseDuration} as Gatus does: decimal integers and floats, {@code 0x},
 * {@code 0o} and {@code 0b} integers, and durations such as {@code 300ms}, {@code 1.5s}
 * or {@code 1h30m}, which are read as milliseconds.
 */
final class NumericLiterals {

	private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

	private static final Pattern PREFIXED = Pattern.compile("([+-]?)0([xXoObB])([0-9a-fA-F]+)");

	// "ms" before "m" and "s", so that 300ms is not read as 300 minutes followed by
	// garbage; each
	// digit run has one way to match, so a long non-number cannot make the regex
	// backtrack badly
	private static final String DURATION_PART = "(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)";

	private static final Pattern DURATION = Pattern.compile("([+-]?)((?:" + DURATION_PART + ")+)");

	private static final Pattern DURATION_PARTS = Pattern.compile(DURATION_PART);

	private static final Map<String, BigDecimal> MILLIS_PER_UNIT = Map.of("ns", new BigDecimal("0.000001"), "us",
			new BigDecimal("0.001"), "\u00b5s", new BigDecimal("0.001"), "\u03bcs", new BigDecimal("0.001"), "ms",
			BigDecimal.ONE, "s", BigDecimal.valueOf(1_000), "m", BigDecimal.valueOf(60_000), "h",
			BigDecimal.valueOf(3_600_000));

	private NumericLiterals() {
	}

	/**
	 * Reads {@code text} as a number.
	 * @return the number (milliseconds for a duration), or {@code null} when it is not
	 * one
	 */
	static @Nullable BigDecimal parse(String text) {
		try {
			if (DECIMAL.matcher(text).matches()) {
				return new BigDecimal(text);
			}
			Matcher prefixed = PREFIXED.matcher(text);
			if (prefixed.matches()) {
				return prefixed(prefixed.group(1), prefixed.group(2), prefixed.group(3));
			}
			Matcher duration = DURATION.matcher(text);
			if (duration.matches()) {
				return durationMillis(duration.group(1), duration.group(2));
			}
			return null;
		}
		catch (NumberFormatException ex) {
			// A digit outside the radix (0b102) or an exponent BigDecimal cannot hold:
			// text, not a number
			return null;
		}
	}

	private static BigDecimal prefixed(String sign, String prefix, String digits) {
		int radix = switch (Character.toLowerCase(prefix.charAt(0))) {
			case 'x' -> 16;
			case 'o' -> 8;
			default -> 2;
		};
		return new BigDecimal(new BigInteger(sign + digits, radix));
	}

	private static BigDecimal durationMillis(String sign, String parts) {
		BigDecimal millis = BigDecimal.ZERO;
		Matcher part = DURATION_PARTS.matcher(parts);
		while (part.find()) {
			millis = millis.add(new BigDecimal(part.group(1)).multiply(MILLIS_PER_UNIT.get(part.group(2))));
		}
		return sign.equals("-") ? millis.negate() : millis;
	}

}
