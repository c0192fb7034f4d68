package dev.pulse.schedule;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wheel's next due time, which the scheduler sleeps until, is always the start of the
 * earliest scheduled node's tick, and advancing to it fires that node and nothing later.
 */
class TimingWheelProperties {

	private static final long TICK = 5_000_000L;

	@Property(tries = 300)
	void nextDueShouldBeTheEarliestScheduledTick(
			@ForAll @Size(min = 1, max = 40) List<@LongRange(min = 0, max = 400_000_000L) Long> dues,
			@ForAll @IntRange(min = 0, max = 39) int removed,
			@ForAll @LongRange(min = 0, max = 300_000_000L) long now) {
		TimingWheel<Entry> wheel = new TimingWheel<>(TICK, 16, 0);
		List<Entry> entries = new ArrayList<>();
		wheel.advance(now, e -> {
		});
		for (long due : dues) {
			Entry entry = new Entry();
			wheel.add(entry, due);
			entries.add(entry);
		}
		if (removed < entries.size()) {
			wheel.remove(entries.remove(removed));
		}

		long expected = entries.stream().mapToLong(e -> e.tick * TICK).min().orElse(Long.MAX_VALUE);
		assertThat(wheel.size()).isEqualTo(entries.size());
		assertThat(wheel.nextDueNanos()).isEqualTo(expected);
		if (expected != Long.MAX_VALUE) {
			List<Entry> fired = new ArrayList<>();
			wheel.advance(expected - 1, fired::add);
			assertThat(fired).as("nothing before the next due time").isEmpty();
			wheel.advance(expected, fired::add);
			assertThat(fired).isNotEmpty().allMatch(e -> e.tick * TICK == expected);
			assertThat(wheel.size()).isEqualTo(entries.size() - fired.size());
		}
	}

	@Property(tries = 50)
	void anEmptyWheelShouldCrossAnyGapAtOnce(@ForAll @LongRange(min = 1, max = 1_000_000_000L) long ticks) {
		TimingWheel<Entry> wheel = new TimingWheel<>(TICK, 16, 0);
		wheel.advance(ticks * TICK, e -> {
		});
		Entry entry = new Entry();
		wheel.add(entry, 0);

		assertThat(wheel.nextDueNanos()).as("a past due time fires on the next tick").isEqualTo((ticks + 1) * TICK);
	}

	static final class Entry extends TimingWheel.Node {

	}

}
