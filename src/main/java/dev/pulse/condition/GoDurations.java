package dev.pulse.condition;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Durations as Gatus reads and prints them: Go's {@code time.ParseDuration} (such as
 * {@code 300ms}, {@code 1.5s} or {@code 1h30m}) and Gatus's {@code formatDuration}, which
 * prints {@code 336h} rather than {@code 336h0m0s}.
 */
final class GoDurations {

	private static final long NANOS_PER_MILLI = 1_000_000L;

	private static final long NANOS_PER_SECOND = 1_000_000_000L;

	/** {@code 1<<63} as an unsigned long. */
	private static final long TWO_TO_63 = Long.MIN_VALUE;

	private static final Map<String, Long> UNITS = Map.of("ns", 1L, "us", 1_000L, "\u00b5s", 1_000L, "\u03bcs", 1_000L,
			"ms", NANOS_PER_MILLI, "s", NANOS_PER_SECOND, "m", 60 * NANOS_PER_SECOND, "h", 3600 * NANOS_PER_SECOND);

	private GoDurations() {
	}

	/**
	 * Go's {@code time.ParseDuration}.
	 * @return the duration in nanoseconds, or {@code null} when Go would return an error
	 */
	static @Nullable Long parseNanos(String text) {
		String s = text;
		boolean negative = false;
		if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
			negative = s.charAt(0) == '-';
			s = s.substring(1);
		}
		if (s.equals("0")) {
			return 0L;
		}
		if (s.isEmpty()) {
			return null;
		}
		long total = 0;
		int i = 0;
		while (i < s.length()) {
			char first = s.charAt(i);
			if (first != '.' && !isDigit(first)) {
				return null;
			}
			int start = i;
			long whole = 0;
			for (; i < s.length() && isDigit(s.charAt(i)); i++) {
				if (Long.compareUnsigned(whole, Long.divideUnsigned(TWO_TO_63, 10)) > 0) {
					return null;
				}
				whole = whole * 10 + (s.charAt(i) - '0');
				if (Long.compareUnsigned(whole, TWO_TO_63) > 0) {
					return null;
				}
			}
			boolean digitsBeforeDot = i > start;
			long fraction = 0;
			double scale = 1;
			boolean digitsAfterDot = false;
			if (i < s.length() && s.charAt(i) == '.') {
				i++;
				int fractionStart = i;
				boolean overflow = false;
				for (; i < s.length() && isDigit(s.charAt(i)); i++) {
					// Like Go, digits that no longer fit are dropped, not an error
					if (overflow || fraction > Long.MAX_VALUE / 10) {
						overflow = true;
						continue;
					}
					long next = fraction * 10 + (s.charAt(i) - '0');
					if (Long.compareUnsigned(next, TWO_TO_63) > 0) {
						overflow = true;
						continue;
					}
					fraction = next;
					scale *= 10;
				}
				digitsAfterDot = i > fractionStart;
			}
			if (!digitsBeforeDot && !digitsAfterDot) {
				return null;
			}
			int unitStart = i;
			while (i < s.length() && s.charAt(i) != '.' && !isDigit(s.charAt(i))) {
				i++;
			}
			Long unit = UNITS.get(s.substring(unitStart, i));
			if (unit == null) {
				return null;
			}
			if (Long.compareUnsigned(whole, Long.divideUnsigned(TWO_TO_63, unit)) > 0) {
				return null;
			}
			long value = whole * unit;
			if (fraction > 0) {
				value += (long) (unsignedToDouble(fraction) * (unit / scale));
				if (Long.compareUnsigned(value, TWO_TO_63) > 0) {
					return null;
				}
			}
			total += value;
			if (Long.compareUnsigned(total, TWO_TO_63) > 0) {
				return null;
			}
		}
		if (negative) {
			return -total;
		}
		return (total < 0) ? null : total;
	}

	/**
	 * Go's {@code Duration.Milliseconds()}: truncated toward zero; saturated rather than
	 * overflowing for durations Go cannot represent.
	 */
	static long millis(Duration duration) {
		long seconds = duration.getSeconds();
		long millisOfSecond = duration.getNano() / NANOS_PER_MILLI;
		if (seconds < 0 && duration.getNano() % NANOS_PER_MILLI != 0) {
			// getNano() counts up from a negative second: round toward zero, as Go does
			millisOfSecond++;
		}
		if (seconds > Long.MAX_VALUE / 1000) {
			return Long.MAX_VALUE;
		}
		if (seconds < Long.MIN_VALUE / 1000) {
			return Long.MIN_VALUE;
		}
		return seconds * 1000 + millisOfSecond;
	}

	/**
	 * Gatus's {@code formatDuration(time.Duration(millis) * time.Millisecond)}: whole
	 * seconds in Go's notation, then a trailing {@code 0s} and {@code 0m} cut off. The
	 * cut is textual, so 10 seconds prints as {@code 1}, exactly as Gatus prints it.
	 */
	static String gatusFormat(long millis) {
		// Go's Duration arithmetic wraps around on overflow, and so does Java's
		long nanos = millis * NANOS_PER_MILLI;
		String text = goString(nanos - nanos % NANOS_PER_SECOND);
		if (text.equals("0s")) {
			return text;
		}
		if (text.endsWith("0s")) {
			text = text.substring(0, text.length() - 2);
			if (text.endsWith("0m")) {
				text = text.substring(0, text.length() - 2);
			}
		}
		return text;
	}

	/** Go's {@code Duration.String()} for a whole number of seconds. */
	private static String goString(long nanos) {
		if (nanos == 0) {
			return "0s";
		}
		long magnitude = (nanos < 0) ? -nanos : nanos;
		long seconds = Long.divideUnsigned(magnitude, NANOS_PER_SECOND);
		StringBuilder text = new StringBuilder((nanos < 0) ? "-" : "");
		long minutes = seconds / 60;
		long hours = minutes / 60;
		if (hours > 0) {
			text.append(hours).append('h');
		}
		if (minutes > 0) {
			text.append(minutes % 60).append('m');
		}
		return text.append(seconds % 60).append('s').toString();
	}

	private static boolean isDigit(char c) {
		return c >= '0' && c <= '9';
	}

	private static double unsignedToDouble(long value) {
		return (value >= 0) ? value : ((value >>> 1) | (value & 1)) * 2.0;
	}

}
