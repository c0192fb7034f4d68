package dev.pulse.cluster;

import java.time.Duration;
import java.util.List;

import dev.pulse.health.HealthState;
import dev.pulse.health.StateChange;
import dev.pulse.health.TargetHealth;
import dev.pulse.support.TestTargets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The self-fencing rule: a replica probes a partition only while it holds it and its last
 * successful renewal began less than the renew deadline ago, or, with
 * {@code on-db-loss=continue}, while the database is out of reach.
 */
class OwnershipGateTest {

	private static final long SECOND = Duration.ofSeconds(1).toNanos();

	@Test
	void probesAHeldPartitionOnlyUntilTheRenewDeadline() {
		OwnershipGate gate = new OwnershipGate(16, false);
		String name = "a";
		int partition = gate.partitionOf(name);
		assertThat(gate.mayFire(target(name))).as("not held").isFalse();

		gate.hold(partition, 3);
		gate.renewed(System.nanoTime(), 7 * SECOND);
		assertThat(gate.owns(target(name))).isTrue();
		assertThat(gate.mayFire(target(name))).isTrue();
		assertThat(gate.epoch(partition)).isEqualTo(3);

		gate.renewed(System.nanoTime() - 8 * SECOND, 7 * SECOND);
		assertThat(gate.mayFire(target(name))).as("renewal began 8 s ago, deadline 7 s").isFalse();

		gate.outage();
		assertThat(gate.mayFire(target(name))).as("on-db-loss=stop: still fenced in an outage").isFalse();
	}

	@Test
	void goesOnProbingInADatabaseOutageWhenToldToContinue() {
		OwnershipGate gate = new OwnershipGate(16, true);
		String name = "b";
		gate.hold(gate.partitionOf(name), 1);
		gate.renewed(System.nanoTime() - 8 * SECOND, 7 * SECOND);
		assertThat(gate.mayFire(target(name))).as("past the deadline, no outage seen").isFalse();

		gate.outage();
		assertThat(gate.mayFire(target(name))).as("outage: keep probing what is held").isTrue();

		gate.drop(gate.partitionOf(name));
		assertThat(gate.mayFire(target(name))).as("dropped").isFalse();
		gate.hold(gate.partitionOf(name), 2);
		gate.closeNow();
		assertThat(gate.mayFire(target(name))).as("closed at shutdown").isFalse();
		assertThat(gate.owned()).isEqualTo(1);
	}

	@Test
	void publishesStateAndDriftButNotCountersThatTickWithEveryProbe() {
		TargetHealth published = health(HealthState.HEALTHY, 10, 100.0, 0.0);
		assertThat(ClusterCoordinator.worthPublishing(published, health(HealthState.HEALTHY, 11, 105.0, 0.0)))
			.as("one more success, 5% slower")
			.isFalse();
		assertThat(ClusterCoordinator.worthPublishing(published, health(HealthState.HEALTHY, 11, 111.0, 0.0)))
			.as("11% slower")
			.isTrue();
		TargetHealth fast = health(HealthState.HEALTHY, 10, 0.4, 0.0);
		assertThat(ClusterCoordinator.worthPublishing(fast, health(HealthState.HEALTHY, 11, 1.3, 0.0)))
			.as("sub-millisecond latency tripled: under the 1 ms floor")
			.isFalse();
		assertThat(ClusterCoordinator.worthPublishing(fast, health(HealthState.HEALTHY, 11, 1.5, 0.0)))
			.as("1.1 ms slower")
			.isTrue();
		assertThat(ClusterCoordinator.worthPublishing(published, health(HealthState.HEALTHY, 11, 100.0, 0.02)))
			.as("error rate up two points")
			.isTrue();
		assertThat(ClusterCoordinator.worthPublishing(published, health(HealthState.DEGRADED, 0, 100.0, 0.0)))
			.as("state changed")
			.isTrue();
	}

	private static TargetHealth health(HealthState state, int successes, double latency, double errorRate) {
		List<StateChange> changes = (state == HealthState.HEALTHY) ? List.of()
				: List.of(new StateChange(java.time.Instant.EPOCH, HealthState.HEALTHY, state, "failures"));
		return new TargetHealth(state, successes, 0, 0, null, latency, errorRate, successes, null, changes);
	}

	private static dev.pulse.target.Target target(String name) {
		return TestTargets.target("http://127.0.0.1:1/").name(name).build();
	}

}
