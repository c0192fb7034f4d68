package dev.pulse.schedule;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimingWheelTest {

	private static final long TICK = 5_000_000L;

	private final TimingWheel<Entry> wheel = new TimingWheel<>(TICK, 16, 0);

	private final List<String> fired = new ArrayList<>();

	@Test
	void advanceShouldFireNothingBeforeItsTick() {
		this.wheel.add(new Entry("a"), 12_000_000L);

		this.wheel.advance(11_999_999L, e -> this.fired.add(e.name));

		assertThat(this.fired).isEmpty();
		this.wheel.advance(15_000_000L, e -> this.fired.add(e.name));
		assertThat(this.fired).containsExactly("a");
	}

	@Test
	void advanceShouldFireEverythingDueInTickOrderAsOneBatch() {
		this.wheel.add(new Entry("late"), 40_000_000L);
		this.wheel.add(new Entry("early"), 6_000_000L);
		this.wheel.add(new Entry("middle"), 21_000_000L);

		this.wheel.advance(40_000_000L, e -> this.fired.add(e.name));

		assertThat(this.fired).containsExactly("early", "middle", "late");
	}

	@Test
	void entryBeyondOneRevolutionShouldWaitForItsRound() {
		// 16 ticks of 5 ms = 80 ms per revolution; 100 ms shares a bucket with 20 ms.
		this.wheel.add(new Entry("far"), 100_000_000L);

		this.wheel.advance(25_000_000L, e -> this.fired.add(e.name));
		assertThat(this.fired).isEmpty();
		this.wheel.advance(99_000_000L, e -> this.fired.add(e.name));
		assertThat(this.fired).isEmpty();
		this.wheel.advance(100_000_000L, e -> this.fired.add(e.name));
		assertThat(this.fired).containsExactly("far");
	}

	@Test
	void entryAlreadyDueShouldFireOnTheNextTick() {
		this.wheel.advance(50_000_000L, e -> this.fired.add(e.name));
		this.wheel.add(new Entry("past"), 10_000_000L);

		this.wheel.advance(54_999_999L, e -> this.fired.add(e.name));
		assertThat(this.fired).isEmpty();
		this.wheel.advance(55_000_000L, e -> this.fired.add(e.name));
		assertThat(this.fired).containsExactly("past");
	}

	@Test
	void entryReaddedWhileFiringShouldFireOnItsNextDueTimeOnly() {
		Entry repeating = new Entry("r");
		this.wheel.add(repeating, 5_000_000L);
		List<Long> firedAt = new ArrayList<>();

		for (long now = 0; now <= 200_000_000L; now += 1_000_000L) {
			long at = now;
			this.wheel.advance(now, e -> {
				firedAt.add(at);
				// Exactly one revolution later: lands in the bucket being fired right
				// now.
				this.wheel.add(e, at + 80_000_000L);
			});
		}

		assertThat(firedAt).containsExactly(5_000_000L, 85_000_000L, 165_000_000L);
	}

	@Test
	void advanceAfterAStallShouldCatchUpEveryMissedTick() {
		for (int i = 1; i <= 50; i++) {
			this.wheel.add(new Entry("e" + i), i * 3_000_000L);
		}

		this.wheel.advance(1_000_000_000L, e -> this.fired.add(e.name));

		assertThat(this.fired).hasSize(50);
	}

	static final class Entry extends TimingWheel.Node {

		final String name;

		Entry(String name) {
			this.name = name;
		}

	}

}
