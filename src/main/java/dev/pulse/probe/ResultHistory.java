package dev.pulse.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.stereotype.Component;

import dev.pulse.target.Target;

/**
 * The last {@code pulse.results.history} results of each target, in a fixed-size ring per
 * target so memory never grows with time. Written from event loops, read by the API.
 */
@Component
public class ResultHistory implements ProbeListener {

	private final int capacity;

	private final Map<String, Ring> rings = new ConcurrentHashMap<>();

	public ResultHistory(ResultsProperties properties) {
		this.capacity = properties.history();
	}

	public int capacity() {
		return this.capacity;
	}

	public void record(String target, ProbeResult result) {
		this.rings.computeIfAbsent(target, name -> new Ring(this.capacity)).add(result);
	}

	@Override
	public void onResult(Target target, ProbeResult result) {
		record(target.name(), result);
	}

	@Override
	public void onRemoved(String target) {
		remove(target);
	}

	public Optional<ProbeResult> latest(String target) {
		Ring ring = this.rings.get(target);
		return Optional.ofNullable((ring != null) ? ring.latest() : null);
	}

	/** Up to {@code limit} results of a target, newest first. */
	public List<ProbeResult> recent(String target, int limit) {
		Ring ring = this.rings.get(target);
		return (ring != null) ? ring.newest(limit) : List.of();
	}

	/** Forget a target's results, as when it is removed. */
	public void remove(String target) {
		this.rings.remove(target);
	}

	private static final class Ring {

		private final ProbeResult[] items;

		private int next;

		private int size;

		Ring(int capacity) {
			this.items = new ProbeResult[capacity];
		}

		synchronized void add(ProbeResult result) {
			this.items[this.next] = result;
			this.next = (this.next + 1) % this.items.length;
			this.size = Math.min(this.size + 1, this.items.length);
		}

		synchronized @Nullable ProbeResult latest() {
			return (this.size == 0) ? null : this.items[(this.next - 1 + this.items.length) % this.items.length];
		}

		synchronized List<ProbeResult> newest(int limit) {
			int count = Math.min(limit, this.size);
			List<ProbeResult> newest = new ArrayList<>(count);
			for (int i = 1; i <= count; i++) {
				newest.add(this.items[(this.next - i + this.items.length) % this.items.length]);
			}
			return newest;
		}

	}

}
