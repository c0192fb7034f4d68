package dev.pulse.cluster;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Which partition a target belongs to: {@code crc32c(utf-8 name) mod partitions}, the
 * same in every replica and every release, since the count is fixed for a cluster.
 */
public final class Partitions {

	private Partitions() {
	}

	public static int of(String name, int partitions) {
		CRC32C crc = new CRC32C();
		crc.update(name.getBytes(StandardCharsets.UTF_8));
		return (int) (crc.getValue() % partitions);
	}

}
