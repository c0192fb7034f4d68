package dev.pulse.transport;

import java.net.InetAddress;
import java.util.Optional;

/**
 * Which addresses a guarded client may connect to. Transport only asks; the rules live
 * with whoever implements this (the SSRF policy), so transport depends on no policy.
 */
@FunctionalInterface
public interface AddressPolicy {

	/**
	 * Why a connection to an address is refused.
	 * @param address a resolved address, as it is about to be connected to
	 * @return the reason, such as
	 * {@code address 127.0.0.1 is in a denied range (127.0.0.0/8)}; empty when the
	 * address is allowed
	 */
	Optional<String> denial(InetAddress address);

}
