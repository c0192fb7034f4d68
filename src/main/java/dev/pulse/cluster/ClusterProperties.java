package dev.pulse.cluster;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How replicas share the targets, bound from {@code pulse.cluster.*}.
 *
 * @param enabled whether this replica joins a cluster; null (the default) means yes when
 * the store is PostgreSQL and no with SQLite, which allows one replica only
 * @param memberId this replica's name among the members, stable across restarts of its
 * container (the chart sets the pod name); default the host name
 * @param address the base URL other replicas reach this one at, to forward a request for
 * a target's results to its owner (the chart sets {@code http://<pod IP>:<port>});
 * default none, and a non-owner then answers where the results live
 * @param partitions the number of partitions, fixed when the cluster is created (a
 * replica configured otherwise refuses to start); default 1024
 * @param leaseDuration how long a lease lasts after its renewal, on the database's clock:
 * how long a crashed replica's targets wait before another takes them; default 10s
 * @param renewInterval how often a member heartbeats, renews its leases and rebalances;
 * default 2s
 * @param renewDeadline how long after the start of its last successful renewal a member
 * goes on probing, on its own monotonic clock; below the lease duration, so a frozen
 * member stops before anyone else may start; default 7s
 * @param balanceFactor the most partitions a member is planned, as a multiple of the fair
 * share (bounded loads); default 1.1
 * @param maxMovesPerTick the most partitions a member hands over per tick while
 * rebalancing (a leaving member hands over all at once); default 64
 * @param minHold the least time a member holds a partition it took before it hands it on,
 * so views that briefly disagree do not bounce it; default 5s
 * @param pollInterval how often a member reads others' registrations and health when no
 * doorbell rang (a doorbell usually brings them within milliseconds); default 1s
 * @param resyncInterval how often a member reads every health summary again, whatever the
 * doorbells and versions said; default 60s
 * @param publishInterval the longest a changed health summary waits to be published
 * (state changes go at once); default 1s
 * @param onDbLoss what a member does with its partitions while it cannot reach the
 * database: {@code continue} probing them (static stability: nobody can take them over
 * either) or {@code stop}; default continue
 * @param identifyHeader a request header every probe carries with this member's id, so a
 * target can tell which replica probed it (for tests and audits); default none
 */
@ConfigurationProperties("pulse.cluster")
@Validated
public record ClusterProperties(@Nullable Boolean enabled, @Nullable String memberId, @Nullable String address,
		@DefaultValue("1024") @Min(1) @Max(65536) int partitions,
		@DefaultValue("10s") @DurationMin(millis = 500) Duration leaseDuration,
		@DefaultValue("2s") @DurationMin(millis = 100) Duration renewInterval,
		@DefaultValue("7s") @DurationMin(millis = 200) Duration renewDeadline,
		@DefaultValue("1.1") @DecimalMin("1.0") @DecimalMax("4.0") double balanceFactor,
		@DefaultValue("64") @Min(1) @Max(65536) int maxMovesPerTick, @DefaultValue("5s") Duration minHold,
		@DefaultValue("1s") @DurationMin(millis = 50) Duration pollInterval,
		@DefaultValue("60s") @DurationMin(seconds = 1) Duration resyncInterval,
		@DefaultValue("1s") @DurationMin(millis = 50) Duration publishInterval,
		@DefaultValue("continue") OnDbLoss onDbLoss, @Nullable String identifyHeader) {

	/** What a member does with its partitions while the database is out of reach. */
	public enum OnDbLoss {

		/** Go on probing them: nobody can take them over without the database. */
		CONTINUE,

		/** Stop probing them at the renew deadline, as if the lease were lost. */
		STOP

	}

	/**
	 * The deadline must come before the lease ends, and a renewal must fit in it, or a
	 * frozen member could still probe when another may already have taken over.
	 */
	@AssertTrue(message = "renew-interval < renew-deadline < lease-duration must hold")
	public boolean isTimingOrdered() {
		return this.renewInterval.compareTo(this.renewDeadline) < 0
				&& this.renewDeadline.compareTo(this.leaseDuration) < 0;
	}

}
