package dev.pulse.api;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.pulse.probe.ProbeResult;
import dev.pulse.probe.Prober;
import dev.pulse.store.SkippedRegistrations;
import dev.pulse.store.TargetStore;
import dev.pulse.target.InvalidTargetException;
import dev.pulse.target.InvalidTargetException.Violation;
import dev.pulse.target.Target;
import dev.pulse.target.TargetProperties;
import dev.pulse.target.TargetRegistry;

/**
 * Registers, replaces and removes targets at run time, and probes one on demand. A change
 * is answered only after the store has committed it; the registry, and through it the
 * scheduler, follows at once.
 */
@RestController
@RequestMapping("/api/targets/{name}")
@Tag(name = "targets")
class TargetWriteController {

	private final TargetRegistry registry;

	private final TargetStore store;

	private final ApiLimits limits;

	private final Prober prober;

	private final TargetViews views;

	private final SkippedRegistrations skipped;

	private final Map<String, OnDemandGate> gates = new ConcurrentHashMap<>();

	/**
	 * Writes to one name run one at a time, so the store and the registry agree on the
	 * last.
	 */
	private final Object[] nameLocks = new Object[64];

	{
		for (int i = 0; i < this.nameLocks.length; i++) {
			this.nameLocks[i] = new Object();
		}
	}

	private Object lockFor(String name) {
		return this.nameLocks[Math.floorMod(name.hashCode(), this.nameLocks.length)];
	}

	TargetWriteController(TargetRegistry registry, TargetStore store, ApiLimits limits, Prober prober,
			TargetViews views, SkippedRegistrations skipped) {
		this.skipped = skipped;
		this.registry = registry;
		this.store = store;
		this.limits = limits;
		this.prober = prober;
		this.views = views;
	}

	@Operation(summary = "Register or replace a target (write token)",
			description = "The same fields as pulse.targets.<name>, kebab-case, durations as text. Answered after the store commits.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
					content = @Content(examples = @ExampleObject(
							value = "{\"url\": \"http://checkout:8080/actuator/health\", \"service\": \"checkout\", \"interval\": \"10s\", \"timeout\": \"2s\", \"conditions\": [\"[STATUS] == 200\", \"[BODY].status == UP\"]}"))))
	@ApiResponse(responseCode = "201", description = "Created; Location names the target")
	@ApiResponse(responseCode = "200", description = "Replaced")
	@ApiResponse(responseCode = "400", description = "Invalid fields, each in errors (problem+json)")
	@ApiResponse(responseCode = "409",
			description = "A configured or discovered target, or pulse.limits.max-targets reached (problem+json)")
	@PutMapping
	ResponseEntity<TargetView> put(@PathVariable String name, @RequestBody TargetRequest request) {
		Target existing = this.registry.find(name).orElse(null);
		if (existing != null && existing.source() != Target.Source.API) {
			throw readOnly(existing);
		}
		if (existing == null && this.registry.size() >= this.limits.maxTargets()) {
			throw Problems.of(HttpStatus.CONFLICT, "Too many targets",
					"Pulse already has " + this.registry.size() + " targets, the most pulse.limits.max-targets allows");
		}
		List<Violation> violations = new ArrayList<>();
		TargetProperties properties = request.toProperties(this.limits, violations);
		Target target = null;
		try {
			target = this.registry.resolve(name, properties, Target.Source.API);
		}
		catch (InvalidTargetException ex) {
			// A field that did not even parse was resolved from its default: report it
			// once.
			List<String> reported = violations.stream().map(Violation::field).toList();
			ex.violations().stream().filter(v -> !reported.contains(v.field())).forEach(violations::add);
		}
		if (!violations.isEmpty() || target == null) {
			throw invalid(violations);
		}
		boolean created;
		synchronized (lockFor(name)) {
			created = this.store.save(name, properties);
			this.registry.put(target);
			this.skipped.remove(name);
		}
		TargetView view = this.views.of(target);
		return created ? ResponseEntity.created(URI.create("/api/targets/" + name)).body(view)
				: ResponseEntity.ok(view);
	}

	@Operation(summary = "Remove a registered target (write token)")
	@ApiResponse(responseCode = "204",
			description = "Removed: its schedule, probe, results and health are gone; a stored registration that was not loaded (GET /api/registrations/invalid) is deleted from the store")
	@ApiResponse(responseCode = "404", description = "No target with that name (problem+json)")
	@ApiResponse(responseCode = "409", description = "A configured or discovered target (problem+json)")
	@DeleteMapping
	ResponseEntity<Void> delete(@PathVariable String name) {
		Target existing = this.registry.find(name).orElse(null);
		if (existing == null && this.skipped.contains(name)) {
			// A stored registration that was not loaded: it goes from the store too.
			synchronized (lockFor(name)) {
				this.store.delete(name);
				this.skipped.remove(name);
			}
			return ResponseEntity.noContent().build();
		}
		if (existing == null) {
			throw TargetViews.notFound(name);
		}
		if (existing.source() != Target.Source.API) {
			throw readOnly(existing);
		}
		synchronized (lockFor(name)) {
			this.store.delete(name);
			this.registry.remove(name);
		}
		this.gates.remove(name);
		return ResponseEntity.noContent().build();
	}

	@Operation(summary = "Probe a target now, outside its schedule (write token)")
	@ApiResponse(responseCode = "200", description = "The probe's result")
	@ApiResponse(responseCode = "404", description = "No target with that name (problem+json)")
	@ApiResponse(responseCode = "409",
			description = "The target is disabled (enabled: false), reason target-disabled (problem+json)")
	@ApiResponse(responseCode = "429",
			description = "One is already running, or more than 3 per second; Retry-After in seconds (problem+json)")
	@PostMapping("/probe")
	Mono<ProbeResult> probe(@PathVariable String name) {
		Target target = this.registry.find(name).orElseThrow(() -> TargetViews.notFound(name));
		if (!target.enabled()) {
			// enabled: false promises the target is never probed, on demand included.
			throw Problems.withReason(HttpStatus.CONFLICT, "Target is disabled", "target-disabled",
					"Target '" + name + "' has enabled: false and is never probed; enable it to probe it on demand");
		}
		OnDemandGate gate = this.gates.computeIfAbsent(name, key -> new OnDemandGate());
		Refusal refusal = gate.tryEnter(target.timeout());
		if (refusal != null) {
			throw Problems.tooManyRequests("Too many on-demand probes", refusal.reason(), refusal.detail(),
					refusal.retryAfterSeconds());
		}
		return this.prober.probe(target)
			.timeout(target.timeout().multipliedBy(target.retry().maxAttempts()).plus(target.interval()))
			.doFinally(signal -> gate.leave());
	}

	private static ErrorResponseException readOnly(Target target) {
		String where = (target.source() == Target.Source.KUBERNETES)
				? "found by Kubernetes discovery (Service '" + target.service()
						+ "'); change its pulse.dev/* annotations there"
				: "declared in configuration (pulse.targets); change it there";
		return Problems.of(HttpStatus.CONFLICT, "Target is read-only", "Target '" + target.name() + "' is " + where);
	}

	private static ErrorResponseException invalid(List<Violation> violations) {
		return Problems.withErrors(HttpStatus.BAD_REQUEST, "Invalid target", violations.size() + " invalid field(s)",
				violations.stream().map(v -> Map.of("field", v.field(), "message", v.message())).toList());
	}

	/**
	 * Why an on-demand probe was refused, and when to try again.
	 *
	 * @param reason stable word: {@code probe-in-flight} or {@code probe-rate-limited}
	 * @param detail the explanation for people
	 * @param retryAfterSeconds whole seconds until a retry may succeed
	 */
	private record Refusal(String reason, String detail, long retryAfterSeconds) {
	}

	/** At most one on-demand probe in flight per target, and at most a few per second. */
	private static final class OnDemandGate {

		private static final int PER_SECOND = 3;

		private static final long SECOND_NANOS = Duration.ofSeconds(1).toNanos();

		private boolean inFlight;

		private long inFlightSince;

		private long windowStart;

		private int inWindow;

		/**
		 * Null when the probe may run. A running probe's first attempt ends by its
		 * timeout, so a retry is worth it then; the rate window turns every second.
		 */
		synchronized @Nullable Refusal tryEnter(Duration timeout) {
			long now = System.nanoTime();
			if (this.inFlight) {
				long left = timeout.toNanos() - (now - this.inFlightSince);
				return new Refusal("probe-in-flight", "An on-demand probe of this target is already running",
						(Math.max(left, 0) + SECOND_NANOS - 1) / SECOND_NANOS);
			}
			long second = now / SECOND_NANOS;
			if (second != this.windowStart) {
				this.windowStart = second;
				this.inWindow = 0;
			}
			if (this.inWindow >= PER_SECOND) {
				return new Refusal("probe-rate-limited",
						"At most " + PER_SECOND + " on-demand probes per second per target", 1);
			}
			this.inWindow++;
			this.inFlight = true;
			this.inFlightSince = now;
			return null;
		}

		synchronized void leave() {
			this.inFlight = false;
		}

	}

}
