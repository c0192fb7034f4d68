package dev.pulse.condition;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Prints a JSON number as Gatus does. Go decodes every JSON number into a float64, then
 * prints it with {@code %v} (shortest digits; exponent form from 1e+06 on, so a JSON
 * {@code 1234567} prints as {@code 1.234567e+06}) or, inside a re-encoded object, with
 * {@code encoding/json}'s rules (exponent form only below 1e-6 or from 1e21 on).
 */
final class GoFloats {

	/** Integers below 2^53 are exact, so their own digits are the shortest. */
	private static final double EXACT_INTEGER_LIMIT = 9007199254740992.0;

	private GoFloats() {
	}

	/** Go's {@code fmt.Sprint(value)}: {@code 'g'} format, shortest digits. */
	static String formatV(double value) {
		Digits digits = shortest(value);
		int exponent = digits.pointPosition() - 1;
		if (!digits.isZero() && (exponent < -4 || exponent >= 6)) {
			return exponentForm(digits, true);
		}
		return plainForm(digits);
	}

	/** How Go's {@code encoding/json} prints a float64. */
	static String formatJson(double value) {
		Digits digits = shortest(value);
		double magnitude = Math.abs(value);
		if (magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21)) {
			// JSON drops the padding zero of a negative exponent: 1e-07 becomes 1e-7
			return exponentForm(digits, false);
		}
		return plainForm(digits);
	}

	/**
	 * The fewest significant digits that read back as {@code value}, the closest of them
	 * when there is a choice, as Go's shortest formatting picks them.
	 */
	static Digits shortest(double value) {
		boolean negative = (Double.doubleToRawLongBits(value) < 0);
		double magnitude = Math.abs(value);
		if (magnitude == 0) {
			return new Digits(negative, "", 0);
		}
		if (magnitude < EXACT_INTEGER_LIMIT && magnitude == Math.rint(magnitude)) {
			return digitsOf(negative, new BigDecimal((long) magnitude));
		}
		BigDecimal exact = new BigDecimal(magnitude);
		for (int precision = 1; precision < 17; precision++) {
			BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
			if (nearest.doubleValue() == magnitude) {
				return digitsOf(negative, nearest);
			}
			// Next to a power of two the interval is lopsided, so the other neighbour may
			// read back when the nearest does not
			RoundingMode away = (nearest.compareTo(exact) < 0) ? RoundingMode.CEILING : RoundingMode.FLOOR;
			BigDecimal other = exact.round(new MathContext(precision, away));
			if (other.doubleValue() == magnitude) {
				return digitsOf(negative, other);
			}
		}
		return digitsOf(negative, exact.round(new MathContext(17, RoundingMode.HALF_EVEN)));
	}

	private static Digits digitsOf(boolean negative, BigDecimal number) {
		BigDecimal stripped = number.stripTrailingZeros();
		String digits = stripped.unscaledValue().toString();
		return new Digits(negative, digits, digits.length() - stripped.scale());
	}

	private static String exponentForm(Digits digits, boolean padExponent) {
		StringBuilder text = new StringBuilder(digits.negative() ? "-" : "");
		text.append(digits.digits().charAt(0));
		if (digits.digits().length() > 1) {
			text.append('.').append(digits.digits(), 1, digits.digits().length());
		}
		int exponent = digits.pointPosition() - 1;
		text.append('e').append((exponent < 0) ? '-' : '+');
		int absolute = Math.abs(exponent);
		if (absolute < 10 && (padExponent || exponent >= 0)) {
			text.append('0');
		}
		return text.append(absolute).toString();
	}

	private static String plainForm(Digits digits) {
		StringBuilder text = new StringBuilder(digits.negative() ? "-" : "");
		String d = digits.digits();
		int point = digits.pointPosition();
		if (point <= 0) {
			text.append('0');
		}
		else {
			for (int i = 0; i < point; i++) {
				text.append((i < d.length()) ? d.charAt(i) : '0');
			}
		}
		if (d.length() > point) {
			text.append('.');
			for (int i = point; i < d.length(); i++) {
				text.append((i < 0) ? '0' : d.charAt(i));
			}
		}
		return text.toString();
	}

	/**
	 * A decimal {@code 0.digits × 10^pointPosition}.
	 *
	 * @param negative whether a minus sign is printed (also for negative zero)
	 * @param digits the significant digits, no trailing zeros; empty for zero
	 * @param pointPosition where the decimal point goes relative to the digits
	 */
	record Digits(boolean negative, String digits, int pointPosition) {

		boolean isZero() {
			return this.digits.isEmpty();
		}

	}

}
