package dev.pulse.support;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails a test class whose code leaked a Netty buffer. Registered for every test class
 * through JUnit's extension auto-detection; leak detection runs at paranoid (see the
 * Surefire argLine).
 * <p>
 * Netty reports a leak only when the leaked buffer has been collected and a later
 * allocation looks, so this collects garbage and allocates a few buffers before it reads
 * the record.
 */
public class NoLeaksExtension implements AfterAllCallback {

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		assertThat(ResourceLeakDetector.getLevel()).as("Netty leak detection level")
			.isEqualTo(ResourceLeakDetector.Level.PARANOID);
		for (int round = 0; round < 3; round++) {
			System.gc();
			Thread.sleep(50);
			for (int i = 0; i < 64; i++) {
				release(PooledByteBufAllocator.DEFAULT.buffer(16));
				release(UnpooledByteBufAllocator.DEFAULT.buffer(16));
				release(PooledByteBufAllocator.DEFAULT.directBuffer(16));
			}
		}
		List<String> leaks = LeakRecorder.drain();
		assertThat(leaks).as("Netty buffer leaks in %s", context.getDisplayName()).isEmpty();
	}

	private static void release(ByteBuf buffer) {
		buffer.release();
	}

}
