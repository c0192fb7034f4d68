package dev.pulse.support;

import java.time.Duration;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Proves the leak check can fail: a buffer dropped without release is reported and
 * recorded.
 */
class LeakRecorderTest {

	@Test
	void unreleasedBufferShouldBeRecordedAsALeak() {
		leakOneBuffer();

		await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
			System.gc();
			PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
			return LeakRecorder.drain().stream().anyMatch(leak -> leak.startsWith("LEAK: ByteBuf"));
		});
	}

	private static void leakOneBuffer() {
		ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
		leaked.writeLong(42);
		assertThat(leaked.refCnt()).isEqualTo(1);
	}

}
