package dev.pulse.condition;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the text between two stars of a {@link GlobPattern} into one matcher per
 * character, rejecting what Go's {@code filepath.Match} rejects with
 * {@code ErrBadPattern}.
 */
final class GlobAtoms {

	private GlobAtoms() {
	}

	static Atom[] parse(String chunk) {
		List<Atom> atoms = new ArrayList<>();
		int i = 0;
		while (i < chunk.length()) {
			int c = chunk.codePointAt(i);
			if (c == '?') {
				atoms.add(new AnyCharacter());
				i++;
			}
			else if (c == '[') {
				i = parseClass(chunk, i + 1, atoms);
			}
			else if (c == '\\') {
				if (i + 1 >= chunk.length()) {
					throw new IllegalArgumentException("\\ at the end escapes nothing");
				}
				int escaped = chunk.codePointAt(i + 1);
				atoms.add(new Exact(escaped));
				i += 1 + Character.charCount(escaped);
			}
			else {
				atoms.add(new Exact(c));
				i += Character.charCount(c);
			}
		}
		return atoms.toArray(new Atom[0]);
	}

	/** Parses {@code [^a-z0]} from after the {@code [}; returns where it ends. */
	private static int parseClass(String chunk, int start, List<Atom> atoms) {
		int i = start;
		boolean negated = i < chunk.length() && chunk.charAt(i) == '^';
		if (negated) {
			i++;
		}
		List<int[]> ranges = new ArrayList<>();
		while (true) {
			if (i < chunk.length() && chunk.charAt(i) == ']' && !ranges.isEmpty()) {
				atoms.add(new CharacterClass(negated, ranges.toArray(new int[0][])));
				return i + 1;
			}
			int[] low = escapedCharacter(chunk, i);
			int[] high = low;
			if (chunk.charAt(low[1]) == '-') {
				high = escapedCharacter(chunk, low[1] + 1);
			}
			ranges.add(new int[] { low[0], high[0] });
			i = high[1];
		}
	}

	/**
	 * Go's {@code getEsc}: one class character, possibly escaped, that must be followed
	 * by more of the class.
	 * @return the code point and the index after it
	 */
	private static int[] escapedCharacter(String chunk, int start) {
		int i = start;
		if (i >= chunk.length() || chunk.charAt(i) == '-' || chunk.charAt(i) == ']') {
			throw new IllegalArgumentException("unclosed or empty character class");
		}
		if (chunk.charAt(i) == '\\') {
			i++;
			if (i >= chunk.length()) {
				throw new IllegalArgumentException("unclosed character class");
			}
		}
		int c = chunk.codePointAt(i);
		int next = i + Character.charCount(c);
		if (next >= chunk.length()) {
			throw new IllegalArgumentException("unclosed character class");
		}
		return new int[] { c, next };
	}

	/** What one character of the value must be. */
	sealed interface Atom permits Exact, AnyCharacter, CharacterClass {

		boolean matches(int codePoint);

	}

	/** A character that matches itself. */
	record Exact(int codePoint) implements Atom {

		@Override
		public boolean matches(int other) {
			return other == this.codePoint;
		}

	}

	/** {@code ?}: any one character. */
	record AnyCharacter() implements Atom {

		@Override
		public boolean matches(int codePoint) {
			return true;
		}

	}

	/**
	 * {@code [...]}: a character in (or, negated, not in) one of the ranges.
	 *
	 * @param negated whether the class starts with {@code ^}
	 * @param ranges inclusive low and high code points
	 */
	record CharacterClass(boolean negated, int[][] ranges) implements Atom {

		@Override
		public boolean matches(int codePoint) {
			boolean inRange = false;
			for (int[] range : this.ranges) {
				inRange |= range[0] <= codePoint && codePoint <= range[1];
			}
			return inRange != this.negated;
		}

	}

}
