package dev.pulse.condition;

/**
 * Thrown by {@link Condition#parse(String)} when a condition cannot be understood. Says
 * what is wrong and where: the position is a 0-based character offset into the trimmed
 * condition.
 */
public class ConditionSyntaxException extends IllegalArgumentException {

	private static final long serialVersionUID = 1L;

	private final String condition;

	private final int position;

	private final String problem;

	/**
	 * Creates the exception.
	 * @param condition the trimmed condition that failed to parse
	 * @param position the 0-based offset of the problem in {@code condition}
	 * @param problem what is wrong, such as {@code unknown placeholder [STAUS]}
	 */
	public ConditionSyntaxException(String condition, int position, String problem) {
		super(problem + " at position " + position + " in '" + condition + "'");
		this.condition = condition;
		this.position = position;
		this.problem = problem;
	}

	public String condition() {
		return this.condition;
	}

	public int position() {
		return this.position;
	}

	public String problem() {
		return this.problem;
	}

}
