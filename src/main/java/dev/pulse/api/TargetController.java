package dev.pulse.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.util.UriUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.pulse.cluster.ClusterCoordinator;
import dev.pulse.probe.ProbeResult;
import dev.pulse.probe.ResultHistory;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;

/** Reads targets and their recent results. */
@RestController
@RequestMapping("/api/targets")
@Tag(name = "targets", description = "Targets and their results")
class TargetController {

	private final TargetRegistry registry;

	private final ResultHistory history;

	private final TargetViews views;

	private final @Nullable ClusterCoordinator cluster;

	TargetController(TargetRegistry registry, ResultHistory history, TargetViews views,
			ObjectProvider<ClusterCoordinator> cluster) {
		this.registry = registry;
		this.history = history;
		this.views = views;
		this.cluster = cluster.getIfAvailable();
	}

	@Operation(summary = "Every target with its latest result, in name order")
	@GetMapping
	TargetList list() {
		return new TargetList(this.views.of(this.registry.all()));
	}

	@Operation(summary = "One target with its latest result, state, score and recent state changes")
	@ApiResponse(responseCode = "200", description = "The target")
	@ApiResponse(responseCode = "404", description = "No target with that name (problem+json)")
	@GetMapping("/{name}")
	TargetView one(@PathVariable String name) {
		return view(find(name));
	}

	@Operation(summary = "A target's recent results, newest first")
	@ApiResponse(responseCode = "200", description = "The results")
	@ApiResponse(responseCode = "400", description = "limit outside 1..pulse.results.history (problem+json)")
	@ApiResponse(responseCode = "404", description = "No target with that name (problem+json)")
	@ApiResponse(responseCode = "421",
			description = "Another replica probes the target and holds its results: owner and ownerUrl say which "
					+ "(problem+json)")
	@GetMapping("/{name}/results")
	ResultsView results(@PathVariable String name, @RequestParam(defaultValue = "20") int limit) {
		Target target = find(name);
		if (limit < 1 || limit > this.history.capacity()) {
			throw Problems.of(HttpStatus.BAD_REQUEST, "Invalid limit",
					"limit must be between 1 and " + this.history.capacity() + " (pulse.results.history)");
		}
		if (this.cluster != null && !this.cluster.owns(target.name())) {
			throw elsewhere(target.name(), limit, this.cluster);
		}
		return new ResultsView(target.name(), this.history.recent(target.name(), limit));
	}

	/**
	 * Only the replica that probes a target holds its results: this one says which
	 * replica that is (421 Misdirected Request), with the URL to ask when the owner has
	 * an address.
	 */
	private static ErrorResponseException elsewhere(String name, int limit, ClusterCoordinator cluster) {
		ClusterCoordinator.Owner owner = cluster.ownerOf(name);
		String detail = (owner != null)
				? "Target '" + name + "' is probed by replica '" + owner.memberId() + "', which holds its results"
				: "No replica holds target '" + name + "' right now (its partition is moving); try again shortly";
		ErrorResponseException problem = Problems.of(HttpStatus.MISDIRECTED_REQUEST, "Results held by another replica",
				detail);
		problem.getBody().setProperty("owner", (owner != null) ? owner.memberId() : null);
		if (owner != null && owner.address() != null) {
			String url = owner.address().replaceAll("/+$", "") + "/api/targets/"
					+ UriUtils.encodePathSegment(name, StandardCharsets.UTF_8) + "/results?limit=" + limit;
			problem.getBody().setProperty("ownerUrl", url);
			problem.getHeaders().setLocation(URI.create(url));
		}
		return problem;
	}

	private TargetView view(Target target) {
		return this.views.of(target);
	}

	private Target find(String name) {
		return this.registry.find(name).orElseThrow(() -> TargetViews.notFound(name));
	}

	/**
	 * Every target.
	 *
	 * @param targets in name order
	 */
	record TargetList(List<TargetView> targets) {
	}

	/**
	 * Recent results of one target.
	 *
	 * @param target the target's name
	 * @param results newest first
	 */
	record ResultsView(String target, List<ProbeResult> results) {
	}

}
