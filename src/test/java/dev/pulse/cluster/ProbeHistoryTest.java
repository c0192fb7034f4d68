package dev.pulse.cluster;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The farm's judgement of a window, on made-up probe logs (one target, 1 s interval), so
 * ClusterIT's zero counts mean what they say.
 */
class ProbeHistoryTest {

	private static final Duration INTERVAL = Duration.ofSeconds(1);

	private final FarmLog log = new FarmLog(1000);

	private final long zero = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);

	private void probe(String member, double seconds) {
		this.log.record(7, member, at(seconds));
	}

	private long at(double seconds) {
		return this.zero + (long) (seconds * 1e9);
	}

	private ProbeHistory.Verdict judge(double from, double to) {
		return this.log.snapshot().judge(at(from), at(to), INTERVAL, (target) -> true);
	}

	@Test
	void oneOwnerOnItsCadenceShouldBeClean() {
		for (int slot = 0; slot < 10; slot++) {
			probe("r1", slot + ((slot % 2 == 0) ? 0.1 : -0.1));
		}
		ProbeHistory.Verdict verdict = judge(0, 9.5);
		assertThat(verdict.probes()).isEqualTo(10);
		assertThat(verdict.targets()).isEqualTo(1);
		assertThat(verdict.maxGapMillis()).isEqualTo(1200);
		assertThat(verdict.missed()).isZero();
		assertThat(verdict.duplicates()).isZero();
		assertThat(verdict.concurrentOwners()).isZero();
	}

	@Test
	void aCleanHandOverShouldBeNeitherADuplicateNorAConcurrentOwner() {
		probe("r1", 0);
		probe("r1", 1);
		probe("r1", 2);
		probe("r2", 3.05);
		probe("r2", 4);
		ProbeHistory.Verdict verdict = judge(0, 4.5);
		assertThat(verdict.missed()).isZero();
		assertThat(verdict.duplicates()).isZero();
		assertThat(verdict.concurrentOwners()).isZero();
	}

	@Test
	void twoOwnersOnTheirOwnCadencesShouldCountEveryProbeInsideTheOthers() {
		for (int slot = 0; slot < 5; slot++) {
			probe("r1", slot);
			probe("r2", slot + 0.5);
		}
		ProbeHistory.Verdict verdict = judge(0, 5);
		// r2 at 0.5..3.5 lies inside r1's 0..4 (4 probes), r1 at 1..4 inside r2's
		// 0.5..4.5 (4 probes); r1 at 0 and r2 at 4.5 have no bracket.
		assertThat(verdict.concurrentOwners()).isEqualTo(8);
		assertThat(verdict.duplicates()).as("0.5 s apart is not less than half the interval").isZero();
	}

	@Test
	void aSecondMemberProbingRightAfterTheFirstShouldBeADuplicate() {
		probe("r1", 0);
		probe("r1", 1);
		probe("r2", 1.2);
		probe("r2", 2.2);
		ProbeHistory.Verdict verdict = judge(0, 2.5);
		assertThat(verdict.duplicates()).isEqualTo(1);
		assertThat(verdict.concurrentOwners()).isZero();
	}

	@Test
	void aPartitionMovingThereAndBackOnOnePhaseShouldNotBeAConcurrentOwner() {
		probe("r1", 0);
		probe("r2", 1);
		probe("r1", 2);
		probe("r1", 3);
		ProbeHistory.Verdict verdict = judge(0, 3.5);
		assertThat(verdict.concurrentOwners()).isZero();
		assertThat(verdict.duplicates()).isZero();
	}

	@Test
	void aStaleProbeInsideTheNewOwnersCadenceShouldBeAConcurrentOwner() {
		probe("r2", 0);
		probe("r1", 4);
		probe("r1", 5);
		// r2 wakes from SIGSTOP and probes what it lost.
		probe("r2", 5.3);
		probe("r1", 6);
		ProbeHistory history = this.log.snapshot();
		ProbeHistory.Verdict verdict = history.judge(at(3), at(6.5), INTERVAL, (target) -> true);
		assertThat(verdict.concurrentOwners()).isEqualTo(1);
		assertThat(history.probesInsideOthersCadence(7, history.member("r2"), at(5), at(7), INTERVAL))
			.containsExactly(at(5.3));
	}

	@Test
	void aGapSpanningASlotShouldBeMissedAndAShorterLongGapLateTrailingOnesToo() {
		probe("r1", 0);
		probe("r1", 1);
		probe("r1", 2.6);
		probe("r1", 4.3);
		probe("r1", 6.2);
		ProbeHistory.Verdict verdict = judge(0, 8.1);
		// 1 -> 2.6 is 1.6 s (not above 1.6): on time within the jitter; 2.6 -> 4.3 is
		// 1.7 s: late; 4.3 -> 6.2 is 1.9 s and 6.2 -> 8.1 (the end) 1.9 s: each spans a
		// slot with no probe.
		assertThat(verdict.missed()).isEqualTo(2);
		assertThat(verdict.late()).isEqualTo(1);
		assertThat(verdict.maxGapMillis()).isEqualTo(1900);
	}

}
