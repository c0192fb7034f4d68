package dev.pulse.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * One replica's {@code GET /actuator/cluster}: its own state and its view of the members
 * and the 1,024 partition leases.
 *
 * @param enabled whether clustering is on
 * @param memberId the replica's member id
 * @param incarnation this process's incarnation
 * @param state {@code active}, {@code joining}, {@code leaving}, {@code outage} or
 * {@code disabled}
 * @param total partitions in all (1,024)
 * @param owned partitions this replica owns
 * @param unowned partitions without a live lease in this replica's view
 * @param renewalAgeMillis time since the last successful renewal
 * @param renewalOk whether the last renewal succeeded
 * @param members the members it knows
 * @param leases the leases it knows, by partition
 */
record ClusterView(boolean enabled, String memberId, String incarnation, String state, int total, int owned,
		int unowned, long renewalAgeMillis, boolean renewalOk, List<Member> members, Map<Integer, Lease> leases) {

	static final int PARTITIONS = 1024;

	record Member(String memberId, String address, boolean ready, boolean leaving, boolean alive,
			long heartbeatAgeMillis, int partitions, boolean self) {
	}

	record Lease(int partition, @Nullable String owner, long epoch, long expiresInMillis) {

		boolean live() {
			return this.owner != null && this.expiresInMillis > 0;
		}

	}

	static ClusterView parse(JsonNode json) {
		List<Member> members = new ArrayList<>();
		for (JsonNode member : json.path("members")) {
			members.add(new Member(member.path("memberId").asString(""), member.path("address").asString(""),
					member.path("ready").asBoolean(false), member.path("leaving").asBoolean(false),
					member.path("alive").asBoolean(false), member.path("heartbeatAgeMillis").asLong(-1),
					member.path("partitions").asInt(-1), member.path("self").asBoolean(false)));
		}
		Map<Integer, Lease> leases = new TreeMap<>();
		for (JsonNode lease : json.path("leases")) {
			JsonNode owner = lease.path("owner");
			leases.put(lease.path("partition").asInt(-1),
					new Lease(lease.path("partition").asInt(-1), (owner.isString()) ? owner.asString() : null,
							lease.path("epoch").asLong(-1), lease.path("expiresInMillis").asLong(-1)));
		}
		JsonNode partitions = json.path("partitions");
		return new ClusterView(json.path("enabled").asBoolean(false), json.path("memberId").asString(""),
				json.path("incarnation").asString(""), json.path("state").asString(""),
				partitions.path("total").asInt(-1), partitions.path("owned").asInt(-1),
				partitions.path("unowned").asInt(-1), json.path("lastRenewal").path("ageMillis").asLong(-1),
				json.path("lastRenewal").path("ok").asBoolean(false), List.copyOf(members), leases);
	}

	/** The owner of each partition with a live lease. */
	Map<Integer, String> owners() {
		Map<Integer, String> owners = new TreeMap<>();
		this.leases.forEach((partition, lease) -> {
			if (lease.live()) {
				owners.put(partition, lease.owner());
			}
		});
		return owners;
	}

	/** Live leases per owner. */
	Map<String, Integer> counts() {
		Map<String, Integer> counts = new TreeMap<>();
		owners().values().forEach((owner) -> counts.merge(owner, 1, Integer::sum));
		return counts;
	}

	/** The partition of a target name: {@code crc32c(UTF-8 name) mod 1024}. */
	static int partition(String name) {
		CRC32C crc = new CRC32C();
		crc.update(name.getBytes(StandardCharsets.UTF_8));
		return (int) (crc.getValue() % PARTITIONS);
	}

	/** One line for a failure message. */
	String summary() {
		return this.memberId + "[" + this.state + ", owned " + this.owned + ", unowned " + this.unowned + ", renewal "
				+ (this.renewalOk ? "ok" : "failing") + " " + this.renewalAgeMillis + " ms ago, leases " + counts()
				+ "]";
	}

}
