package dev.pulse.probe;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The text form of peer addresses, shared. Each target keeps its last results in memory,
 * and at thousands of targets one new string per probe for the same few addresses adds
 * up; the map is bounded, so a flood of distinct addresses cannot grow it.
 */
final class AddressTexts {

	private static final int MAX_ENTRIES = 4096;

	private static final Map<InetAddress, String> TEXTS = new ConcurrentHashMap<>();

	private AddressTexts() {
	}

	static String of(InetAddress address) {
		String text = TEXTS.get(address);
		if (text != null) {
			return text;
		}
		if (TEXTS.size() >= MAX_ENTRIES) {
			TEXTS.clear();
		}
		text = address.getHostAddress();
		String previous = TEXTS.putIfAbsent(address, text);
		return (previous != null) ? previous : text;
	}

}
