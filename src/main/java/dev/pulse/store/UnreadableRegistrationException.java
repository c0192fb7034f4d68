package dev.pulse.store;

/**
 * Thrown when a stored registration's definition does not read back as a target. Pulse
 * only ever writes definitions it can read, so this means the store was damaged or
 * written by a newer version; start-up stops rather than run without the target.
 */
public class UnreadableRegistrationException extends IllegalStateException {

	private final String name;

	UnreadableRegistrationException(String name, Throwable cause) {
		super("The store's registration '" + name + "' has an unreadable definition: " + cause.getMessage(), cause);
		this.name = name;
	}

	/** The name of the unreadable registration. */
	public String name() {
		return this.name;
	}

}
