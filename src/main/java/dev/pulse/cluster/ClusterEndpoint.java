package dev.pulse.cluster;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/cluster}: this replica's role, the members and their partitions, and
 * every lease with its owner and epoch, as this replica last read them (it never queries
 * the database for a request, so it answers during an outage too, with the renewal's age
 * saying how old the view is). With SQLite: {@code enabled: false} and nothing else.
 */
@Endpoint(id = "cluster")
public class ClusterEndpoint {

	private final @Nullable ClusterCoordinator coordinator;

	ClusterEndpoint(@Nullable ClusterCoordinator coordinator) {
		this.coordinator = coordinator;
	}

	@ReadOperation
	public ClusterDescriptor cluster() {
		return (this.coordinator != null) ? this.coordinator.describe() : ClusterDescriptor.DISABLED;
	}

	/**
	 * The cluster as one replica sees it.
	 *
	 * @param enabled whether this replica is a cluster member (false with SQLite)
	 * @param memberId this replica's member id
	 * @param incarnation this process's incarnation (a new one at every start)
	 * @param state {@code starting}, {@code active}, {@code outage} (the database is out
	 * of reach), {@code leaving} or {@code left}
	 * @param partitions partition counts
	 * @param lastRenewal this replica's last lease renewal
	 * @param members every member row
	 * @param leases every partition's lease, in partition order
	 */
	public record ClusterDescriptor(boolean enabled, @Nullable String memberId, @Nullable String incarnation,
			@Nullable String state, @Nullable PartitionCounts partitions, @Nullable Renewal lastRenewal,
			List<MemberDescriptor> members, List<LeaseDescriptor> leases) {

		static final ClusterDescriptor DISABLED = new ClusterDescriptor(false, null, null, null, null, null, List.of(),
				List.of());

	}

	/**
	 * @param total the cluster's partition count
	 * @param owned held by this replica
	 * @param unowned with no live owner
	 */
	public record PartitionCounts(int total, int owned, int unowned) {
	}

	/**
	 * @param ageMillis since the last renewal began; null before the first
	 * @param ok whether it succeeded
	 */
	public record Renewal(@Nullable Long ageMillis, boolean ok) {
	}

	/**
	 * @param memberId the member's id
	 * @param address where other replicas reach it, if configured
	 * @param ready whether it takes partitions
	 * @param leaving whether it is shutting down
	 * @param alive whether its heartbeat is younger than a lease
	 * @param heartbeatAgeMillis its heartbeat's age on the database's clock
	 * @param partitions how many partitions it holds
	 * @param self whether it is this replica
	 */
	public record MemberDescriptor(String memberId, @Nullable String address, boolean ready, boolean leaving,
			boolean alive, long heartbeatAgeMillis, int partitions, boolean self) {
	}

	/**
	 * @param partition the partition
	 * @param owner its owner's member id, null when free
	 * @param epoch its fencing epoch, +1 at every change of owner
	 * @param expiresInMillis until the lease expires (negative once expired), null when
	 * never leased
	 */
	public record LeaseDescriptor(int partition, @Nullable String owner, long epoch, @Nullable Long expiresInMillis) {
	}

}
