package dev.pulse.schedule;

import java.time.Duration;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SlotPlannerTest {

	private static final Duration INTERVAL = Duration.ofSeconds(10);

	@Test
	void phaseShouldBeStableForANameAndWithinTheInterval() {
		long phase = SlotPlanner.phaseMillis("checkout-api", INTERVAL);

		assertThat(SlotPlanner.phaseMillis("checkout-api", INTERVAL)).isEqualTo(phase);
		assertThat(phase).isBetween(0L, 9_999L);
		assertThat(SlotPlanner.phaseMillis("checkout-api-2", INTERVAL)).isNotEqualTo(phase);
	}

	@Test
	void firstSlotShouldFallOnThePhaseWithinOneInterval() {
		long phase = SlotPlanner.phaseMillis("a", INTERVAL);
		long nowEpoch = 1_700_000_000_123L;
		long nowNanos = 42L;

		long slot = SlotPlanner.firstSlotNanos("a", INTERVAL, nowEpoch, nowNanos);

		long slotEpoch = nowEpoch + (slot - nowNanos) / 1_000_000L;
		assertThat(slot - nowNanos).isBetween(0L, INTERVAL.toNanos() - 1);
		assertThat(Math.floorMod(slotEpoch, 10_000L)).isEqualTo(phase);
	}

	@Test
	void firstSlotShouldKeepItsPhaseAcrossRestarts() {
		long slotA = SlotPlanner.firstSlotNanos("a", INTERVAL, 1_000_000L, 0);
		long slotB = SlotPlanner.firstSlotNanos("a", INTERVAL, 1_003_000L, 0);

		// Three seconds later the slot is three seconds nearer (or one interval on).
		assertThat(Math.floorMod((slotA - slotB) / 1_000_000L - 3_000L, 10_000L)).isZero();
	}

	@Test
	void phasesOfManyTargetsShouldSpreadEvenlyOverTheInterval() {
		int[] perSecond = new int[10];
		IntStream.range(0, 10_000)
			.forEach(i -> perSecond[(int) (SlotPlanner.phaseMillis("target-" + i, INTERVAL) / 1000)]++);

		assertThat(java.util.Arrays.stream(perSecond).boxed().toList())
			.allSatisfy(count -> assertThat(count).isBetween(850, 1150));
	}

	@Test
	void jitterShouldStayWithinItsBoundsAndUseBothSides() {
		long jitter = 1_000_000L;
		long[] shifts = IntStream.range(0, 5_000).mapToLong(i -> SlotPlanner.jittered(0, jitter)).toArray();

		assertThat(java.util.Arrays.stream(shifts).boxed().toList())
			.allSatisfy(shift -> assertThat(shift).isBetween(-jitter, jitter));
		assertThat(java.util.Arrays.stream(shifts).min().getAsLong()).isLessThan(-jitter / 2);
		assertThat(java.util.Arrays.stream(shifts).max().getAsLong()).isGreaterThan(jitter / 2);
		assertThat(SlotPlanner.jittered(7, 0)).isEqualTo(7);
	}

}
