package dev.pulse.condition;

import java.util.ArrayList;
import java.util.List;

/**
 * The pattern of {@code pat(...)}, matched as Gatus matches it: Go's
 * {@code filepath.Match} after removing every {@code /} from both pattern and value.
 * {@code *} matches any text, {@code ?} one character, {@code [a-z]} and {@code [^0-9]} a
 * class, and {@code \} escapes. Compiled once; matching is Go's chunk-by-chunk search,
 * which never backtracks past a star, so it takes at most (value length × pattern length)
 * steps whatever the input.
 */
final class GlobPattern {

	private final String pattern;

	private final List<Chunk> chunks;

	private GlobPattern(String pattern, List<Chunk> chunks) {
		this.pattern = pattern;
		this.chunks = chunks;
	}

	/**
	 * Compiles a pattern.
	 * @throws IllegalArgumentException when Go would report {@code ErrBadPattern}, for
	 * which Gatus never matches
	 */
	static GlobPattern compile(String pattern) {
		String s = pattern.replace("/", "");
		List<Chunk> chunks = new ArrayList<>();
		int i = 0;
		while (i < s.length()) {
			boolean star = false;
			while (i < s.length() && s.charAt(i) == '*') {
				star = true;
				i++;
			}
			int end = chunkEnd(s, i);
			chunks.add(new Chunk(star, GlobAtoms.parse(s.substring(i, end))));
			i = end;
		}
		return new GlobPattern(pattern, List.copyOf(chunks));
	}

	/** Go's {@code scanChunk}: up to the next star that is not escaped or in a class. */
	private static int chunkEnd(String s, int start) {
		boolean inRange = false;
		int i = start;
		for (; i < s.length(); i++) {
			char c = s.charAt(i);
			if (c == '\\') {
				if (i + 1 < s.length()) {
					i++;
				}
			}
			else if (c == '[') {
				inRange = true;
			}
			else if (c == ']') {
				inRange = false;
			}
			else if (c == '*' && !inRange) {
				break;
			}
		}
		return i;
	}

	/** Whether the whole of {@code value} matches. */
	boolean matches(String value) {
		if (this.pattern.equals("*")) {
			return true;
		}
		int[] name = value.replace("/", "").codePoints().toArray();
		int position = 0;
		for (int c = 0; c < this.chunks.size(); c++) {
			Chunk chunk = this.chunks.get(c);
			boolean last = c == this.chunks.size() - 1;
			if (chunk.star() && chunk.atoms().length == 0) {
				// A trailing star matches the rest
				return true;
			}
			int end = chunk.matchAt(name, position);
			if (end >= 0 && (end == name.length || !last)) {
				position = end;
				continue;
			}
			if (!chunk.star()) {
				return false;
			}
			int found = -1;
			for (int start = position + 1; start <= name.length && found < 0; start++) {
				end = chunk.matchAt(name, start);
				// The last chunk must reach the end of the value
				if (end >= 0 && (!last || end == name.length)) {
					found = end;
				}
			}
			if (found < 0) {
				return false;
			}
			position = found;
		}
		return position == name.length;
	}

	@Override
	public String toString() {
		return this.pattern;
	}

	/**
	 * The atoms between two stars.
	 *
	 * @param star whether a star precedes them
	 * @param atoms what each character must match
	 */
	private record Chunk(boolean star, GlobAtoms.Atom[] atoms) {

		/** Where a match of this chunk at {@code start} ends, or -1. */
		int matchAt(int[] name, int start) {
			if (start + this.atoms.length > name.length) {
				return -1;
			}
			for (int i = 0; i < this.atoms.length; i++) {
				if (!this.atoms[i].matches(name[start + i])) {
					return -1;
				}
			}
			return start + this.atoms.length;
		}

	}

}
