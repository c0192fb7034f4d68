package dev.pulse.transport;

import java.net.ConnectException;

/**
 * A guarded client refused to connect because the address is denied by its
 * {@link AddressPolicy}. No connection attempt was made: the connect was failed in the
 * pipeline before it reached the socket.
 */
public class BlockedAddressException extends ConnectException {

	private static final long serialVersionUID = 1L;

	public BlockedAddressException(String message) {
		super(message);
	}

}
