package dev.pulse.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import dev.pulse.api.EventLog.Event;
import dev.pulse.cluster.ClusterCoordinator;
import dev.pulse.discovery.KubernetesDiscovery;
import dev.pulse.health.HealthTracker;
import dev.pulse.health.StateChange;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;
import dev.pulse.target.UrlRedaction;

/**
 * The live event stream behind {@code GET /api/events}: target state changes and run-time
 * registrations, each with an increasing id, kept in a bounded buffer so a client that
 * reconnects with {@code Last-Event-ID} resumes where it was, or is told with a
 * {@code reset} event that it cannot (see {@link EventLog}).
 * <p>
 * Publishing only appends to the buffer and to each subscriber's bounded queue, so the
 * event loops that report state changes never wait for a client. One sender thread writes
 * to the clients; a client whose queue overflows is dropped.
 */
@Component
class EventHub implements DisposableBean {

	/** Events kept for resuming clients. */
	static final int BUFFER = 1000;

	/** Events queued per client before it counts as too slow and is dropped. */
	static final int QUEUE = 256;

	private static final long KEEP_ALIVE_SECONDS = 15;

	private static final Logger logger = LoggerFactory.getLogger(EventHub.class);

	private final EventLog log;

	private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

	private volatile boolean closed;

	private final ScheduledExecutorService sender = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "pulse-events");
		thread.setDaemon(true);
		return thread;
	});

	EventHub(TargetRegistry registry, HealthTracker health, ObjectProvider<ClusterCoordinator> cluster,
			ObjectProvider<KubernetesDiscovery> discovery) {
		this.log = new EventLog(System.currentTimeMillis(), BUFFER);
		registry.addListener(new TargetRegistry.Listener() {

			@Override
			public void onPut(@Nullable Target previous, Target target) {
				String added = (target.source() == Target.Source.KUBERNETES) ? "target-discovered"
						: "target-registered";
				publish((previous == null) ? added : "target-updated", describe(target));
			}

			@Override
			public void onRemoved(Target target) {
				Map<String, Object> data = new LinkedHashMap<>();
				data.put("target", target.name());
				data.put("service", target.service());
				data.put("source", target.source().value());
				publish("target-removed", data);
			}

		});
		discovery.ifAvailable(kubernetes -> kubernetes.addListener((namespace, service, annotation, message) -> {
			Map<String, Object> data = new LinkedHashMap<>();
			data.put("namespace", namespace);
			data.put("service", service);
			data.put("annotation", annotation);
			data.put("message", message);
			publish("discovery-warning", data);
		}));
		health.addListener(this::onStateChange);
		cluster.ifAvailable(coordinator -> coordinator.addListener(new ClusterCoordinator.OwnershipListener() {

			@Override
			public void acquired(List<Integer> partitions, String reason) {
				publish("partition-acquired", partitions(coordinator, partitions, reason));
			}

			@Override
			public void released(List<Integer> partitions, String reason) {
				publish("partition-released", partitions(coordinator, partitions, reason));
			}

		}));
		// A comment every 15 s keeps proxies from closing an idle stream.
		this.sender.scheduleAtFixedRate(this::keepAlive, KEEP_ALIVE_SECONDS, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
	}

	private void onStateChange(Target target, StateChange change) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("target", target.name());
		data.put("service", target.service());
		data.put("from", change.from().name());
		data.put("to", change.to().name());
		data.put("reason", change.reason());
		data.put("at", change.at().toString());
		publish("target-state", data);
	}

	private static Map<String, Object> partitions(ClusterCoordinator coordinator, List<Integer> partitions,
			String reason) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("member", coordinator.memberId());
		data.put("partitions", List.copyOf(partitions));
		data.put("reason", reason);
		return data;
	}

	private static Map<String, Object> describe(Target target) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("target", target.name());
		data.put("service", target.service());
		data.put("url", UrlRedaction.redact(target.url()));
		data.put("source", target.source().value());
		Target.Discovery found = target.discovery();
		if (found != null) {
			// The place of a discovered target, and whether it is draining.
			data.put("namespace", found.namespace());
			data.put("pod", found.pod());
			data.put("node", found.node());
			data.put("zone", found.zone());
			data.put("terminating", found.terminating());
		}
		return data;
	}

	void publish(String type, Map<String, Object> data) {
		Event event;
		synchronized (this.log) {
			event = this.log.append(type, data);
		}
		for (Subscriber subscriber : this.subscribers) {
			if (!subscriber.queue.offer(event)) {
				drop(subscriber, "too slow: more than " + QUEUE + " events queued");
			}
		}
		this.sender.execute(this::flush);
	}

	/**
	 * A new client, first sent what {@link EventLog#catchUp} gives for its
	 * {@code lastEventId}.
	 */
	SseEmitter subscribe(@Nullable Long lastEventId) {
		SseEmitter emitter = new SseEmitter(0L);
		if (this.closed) {
			emitter.complete();
			return emitter;
		}
		Subscriber subscriber;
		synchronized (this.log) {
			// The catch-up (up to BUFFER events) is held apart from the live queue,
			// so a full buffer is replayed whole rather than cut at QUEUE events.
			subscriber = new Subscriber(emitter, this.log.catchUp(lastEventId));
			this.subscribers.add(subscriber);
		}
		emitter.onCompletion(() -> this.subscribers.remove(subscriber));
		emitter.onTimeout(() -> this.subscribers.remove(subscriber));
		emitter.onError(error -> this.subscribers.remove(subscriber));
		this.sender.execute(this::flush);
		return emitter;
	}

	int subscribers() {
		return this.subscribers.size();
	}

	private void flush() {
		for (Subscriber subscriber : this.subscribers) {
			List<Event> pending = new ArrayList<>(subscriber.takeCatchUp());
			subscriber.queue.drainTo(pending);
			for (Event event : pending) {
				try {
					subscriber.emitter.send(SseEmitter.event()
						.id(Long.toString(event.id()))
						.name(event.type())
						.data(event.data(), MediaType.APPLICATION_JSON));
				}
				catch (IOException | IllegalStateException ex) {
					drop(subscriber, "gone: " + ex.getMessage());
					break;
				}
			}
		}
	}

	private void keepAlive() {
		for (Subscriber subscriber : this.subscribers) {
			try {
				subscriber.emitter.send(SseEmitter.event().comment("keep-alive"));
			}
			catch (IOException | IllegalStateException ex) {
				drop(subscriber, "gone: " + ex.getMessage());
			}
		}
	}

	private void drop(Subscriber subscriber, String why) {
		if (this.subscribers.remove(subscriber)) {
			logger.info("Dropped an event stream client: {}", why);
			subscriber.emitter.complete();
		}
	}

	/**
	 * End every stream when shutdown begins, before the web server's graceful shutdown
	 * waits for in-flight requests: a stream never ends by itself, so SIGTERM would
	 * otherwise wait out {@code spring.lifecycle.timeout-per-shutdown-phase}.
	 */
	@EventListener(ContextClosedEvent.class)
	void onContextClosed() {
		this.closed = true;
		this.subscribers.forEach(subscriber -> subscriber.emitter.complete());
		this.subscribers.clear();
	}

	@Override
	public void destroy() {
		this.sender.shutdownNow();
		this.subscribers.forEach(subscriber -> subscriber.emitter.complete());
		this.subscribers.clear();
	}

	private static final class Subscriber {

		final SseEmitter emitter;

		final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);

		/** Sent before the queue; read and cleared only by the sender thread. */
		private List<Event> catchUp;

		Subscriber(SseEmitter emitter, List<Event> catchUp) {
			this.emitter = emitter;
			this.catchUp = catchUp;
		}

		List<Event> takeCatchUp() {
			List<Event> events = this.catchUp;
			this.catchUp = List.of();
			return events;
		}

	}

}
