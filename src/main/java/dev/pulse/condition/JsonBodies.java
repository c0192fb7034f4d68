package dev.pulse.condition;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Decodes each response body once, however many conditions read it: a probe evaluates its
 * conditions one after the other against the same observation, whose body is the same
 * array each time. Bodies are remembered by identity (arrays do not override
 * {@code equals}), not content, which would cost as much as decoding; an observation must
 * therefore not change its body array once conditions read it. A decoded tree is dropped
 * with its body, and at most a few are kept at a time. Trees are immutable and safe to
 * share between threads.
 */
final class JsonBodies {

	private static final int MAX_REMEMBERED = 16;

	private static final Map<byte[], ParsedJson> RECENT = Collections.synchronizedMap(new WeakHashMap<>());

	private JsonBodies() {
	}

	static ParsedJson parse(byte[] body) {
		ParsedJson parsed = RECENT.get(body);
		if (parsed != null) {
			return parsed;
		}
		// Decoded outside the lock: two threads may both decode a body, never block
		parsed = JsonReader.read(body);
		synchronized (RECENT) {
			if (RECENT.size() >= MAX_REMEMBERED) {
				RECENT.clear();
			}
			RECENT.put(body, parsed);
		}
		return parsed;
	}

}
