package dev.pulse.condition;

/**
 * {@code pat(...)}: whether the other side matches a wildcard pattern, such as
 * {@code [BODY].name == pat(john*)} or {@code [IP] == pat(10.*)}.
 *
 * @param text the call as written
 * @param pattern the pattern, compiled once
 */
record PatternMatcher(String text, GlobPattern pattern) implements Matcher {

	@Override
	public boolean matches(String value) {
		return this.pattern.matches(value);
	}

}
