package dev.pulse.discovery;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.CRC32C;

import org.jspecify.annotations.Nullable;

/**
 * Names of discovered targets: {@code <service>-<pod>} (with {@code -<port>} when a
 * Service probes several ports), valid under Pulse's name rule and stable for as long as
 * the pod lives. A name longer than 63 characters keeps its first 54 and ends in a hash
 * of the whole, so two long names stay apart.
 */
final class TargetNames {

	static final int MAX = 63;

	private TargetNames() {
	}

	/**
	 * The target name of one endpoint.
	 * @param service the Service's name
	 * @param endpoint the pod's name, or the address when the endpoint names no pod
	 * @param port the port selector when several are probed, else null
	 */
	static String of(String service, String endpoint, @Nullable String port) {
		String name = service + "-" + endpoint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-")
				+ ((port != null) ? "-" + port : "");
		if (name.length() <= MAX) {
			return name;
		}
		CRC32C crc = new CRC32C();
		crc.update(name.getBytes(StandardCharsets.UTF_8));
		return name.substring(0, MAX - 9) + "-" + String.format(Locale.ROOT, "%08x", crc.getValue());
	}

}
