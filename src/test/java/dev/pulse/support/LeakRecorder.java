package dev.pulse.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.util.ResourceLeakDetector;

/**
 * Netty's leak detector with a memory: every leak it reports (the {@code LEAK:} lines) is
 * also kept here, so {@link NoLeaksExtension} can fail the test class that caused it.
 * Installed for all tests through {@code -Dio.netty.customResourceLeakDetector} in the
 * Surefire configuration.
 *
 * @param <T> the tracked resource type
 */
public class LeakRecorder<T> extends ResourceLeakDetector<T> {

	private static final List<String> leaks = new CopyOnWriteArrayList<>();

	public LeakRecorder(Class<?> resourceType, int samplingInterval) {
		super(resourceType, samplingInterval);
	}

	/**
	 * The constructor Netty looks for first; without it, Netty logs an error with a stack
	 * trace at start-up before falling back to the one above.
	 */
	@SuppressWarnings("deprecation")
	public LeakRecorder(Class<?> resourceType, int samplingInterval, long maxActive) {
		super(resourceType, samplingInterval, maxActive);
	}

	@Override
	protected void reportTracedLeak(String resourceType, String records) {
		leaks.add("LEAK: " + resourceType + records);
		super.reportTracedLeak(resourceType, records);
	}

	@Override
	protected void reportUntracedLeak(String resourceType) {
		leaks.add("LEAK: " + resourceType + " (untraced)");
		super.reportUntracedLeak(resourceType);
	}

	/** Leaks reported since the last call, then forgotten. */
	static List<String> drain() {
		List<String> copy = List.copyOf(leaks);
		leaks.removeAll(copy);
		return copy;
	}

}
