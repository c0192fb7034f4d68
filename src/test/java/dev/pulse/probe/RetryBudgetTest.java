package dev.pulse.probe;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryBudgetTest {

	private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);

	private RetryBudget budget(int percent, int minPerSecond) {
		return new RetryBudget(new RetryBudgetProperties(percent, minPerSecond), this.nanos::get);
	}

	private void advanceSeconds(long seconds) {
		this.nanos.addAndGet(seconds * 1_000_000_000L);
	}

	@Test
	void reserveShouldAllowMinRetriesPerSecondOverTheMinuteWithoutTraffic() {
		RetryBudget budget = budget(20, 3);

		int granted = 0;
		for (int i = 0; i < 500; i++) {
			granted += budget.tryAcquireRetry() ? 1 : 0;
		}

		assertThat(granted).isEqualTo(180);
		assertThat(budget.refused()).isEqualTo(320);
		assertThat(budget.granted()).isEqualTo(180);
	}

	@Test
	void retriesShouldStayUnderThePercentOfFirstAttempts() {
		RetryBudget budget = budget(20, 0);
		for (int i = 0; i < 1000; i++) {
			budget.recordFirstAttempt();
		}

		int granted = 0;
		for (int i = 0; i < 1000; i++) {
			granted += budget.tryAcquireRetry() ? 1 : 0;
		}

		assertThat(granted).isEqualTo(200);
	}

	@Test
	void budgetShouldRefillAsTheMinuteSlides() {
		RetryBudget budget = budget(0, 1);
		for (int i = 0; i < 60; i++) {
			assertThat(budget.tryAcquireRetry()).isTrue();
		}
		assertThat(budget.tryAcquireRetry()).isFalse();

		advanceSeconds(59);
		assertThat(budget.tryAcquireRetry()).as("all 60 still in the window").isFalse();
		advanceSeconds(1);
		assertThat(budget.tryAcquireRetry()).as("the first second left the window").isTrue();
	}

	@Test
	void firstAttemptsShouldExpireWithTheirSecond() {
		RetryBudget budget = budget(50, 0);
		for (int i = 0; i < 10; i++) {
			budget.recordFirstAttempt();
		}
		advanceSeconds(61);

		assertThat(budget.tryAcquireRetry()).isFalse();
	}

	@Test
	void zeroBudgetShouldRefuseEveryRetry() {
		RetryBudget budget = budget(0, 0);
		budget.recordFirstAttempt();

		assertThat(budget.tryAcquireRetry()).isFalse();
		assertThat(budget.refused()).isEqualTo(1);
	}

}
