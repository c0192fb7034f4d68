package dev.pulse.probe;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import dev.pulse.target.Target;

/**
 * The last {@code pulse.results.history} results of each target, in a fixed-size ring of
 * primitives per target ({@link ResultRing}) so memory never grows with time and stays
 * small at 10,000 targets. Written from event loops, read by the API.
 */
@Component
public class ResultHistory implements ProbeListener {

	private final int capacity;

	private final Map<String, ResultRing> rings = new ConcurrentHashMap<>();

	public ResultHistory(ResultsProperties properties) {
		this.capacity = properties.history();
	}

	public int capacity() {
		return this.capacity;
	}

	public void record(String target, ProbeResult result) {
		this.rings.computeIfAbsent(target, name -> new ResultRing(this.capacity)).add(result);
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
		ResultRing ring = this.rings.get(target);
		return Optional.ofNullable((ring != null) ? ring.latest() : null);
	}

	/** Up to {@code limit} results of a target, newest first. */
	public List<ProbeResult> recent(String target, int limit) {
		ResultRing ring = this.rings.get(target);
		return (ring != null) ? ring.newest(limit) : List.of();
	}

	/** Forget a target's results, as when it is removed. */
	public void remove(String target) {
		this.rings.remove(target);
	}

}
