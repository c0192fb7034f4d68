package dev.pulse.store;

/**
 * Thrown at start-up when the store cannot be opened or migrated; the message names the
 * store (without credentials) and the database's own reason.
 */
class StoreUnavailableException extends IllegalStateException {

	StoreUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
