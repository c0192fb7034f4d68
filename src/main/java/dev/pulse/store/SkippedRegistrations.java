package dev.pulse.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import org.springframework.stereotype.Component;

/**
 * Stored registrations that were not loaded at start-up, with why: they stay in the store
 * (so fixing the cause and restarting brings them back), and an operator lists them over
 * the API and deletes or re-registers them there.
 */
@Component
public class SkippedRegistrations {

	/**
	 * No longer passes validation: the rules or the defaults changed since it was
	 * accepted.
	 */
	public static final String INVALID = "invalid";

	/** A configured target has the same name; configuration wins. */
	public static final String SHADOWED = "shadowed-by-config";

	private final Map<String, Skipped> skipped = new ConcurrentSkipListMap<>();

	void add(String name, String reason, String detail) {
		this.skipped.put(name, new Skipped(name, reason, detail));
	}

	/**
	 * Forget a skipped registration: it was deleted from the store, or registered again
	 * with a valid definition.
	 */
	public void remove(String name) {
		this.skipped.remove(name);
	}

	/** Whether a stored registration with this name was skipped. */
	public boolean contains(String name) {
		return this.skipped.containsKey(name);
	}

	/** Every skipped registration, in name order. */
	public List<Skipped> all() {
		return List.copyOf(this.skipped.values());
	}

	/**
	 * One skipped registration. Field names and reasons are a stable JSON contract.
	 *
	 * @param name the target's name
	 * @param reason {@value #INVALID} or {@value #SHADOWED}
	 * @param detail why, for people: the validation messages, for example
	 */
	public record Skipped(String name, String reason, String detail) {
	}

}
