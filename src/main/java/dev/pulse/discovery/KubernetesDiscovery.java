package dev.pulse.discovery;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

import dev.pulse.target.InvalidTargetException;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;
import dev.pulse.target.TargetResolver;

/**
 * Kubernetes discovery: per namespace, one informer on Services (with the label selector)
 * and one on EndpointSlices, and a single thread that reconciles a Service's targets from
 * both caches whenever either changes. Reconciling is level-based: the wanted targets are
 * computed from the caches, compared with the ones this Service put, and only the
 * difference is applied, so a relist or a resync changes nothing that did not change. Bad
 * annotations are warned about once per change and never stop the other Services; a
 * Service whose annotations break keeps its last good ones.
 */
public class KubernetesDiscovery implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(KubernetesDiscovery.class);

	private static final String BY_SERVICE = "service";

	private final KubernetesDiscoveryProperties properties;

	private final TargetRegistry registry;

	private final TargetResolver resolver;

	private final MeterRegistry meters;

	private final Clock clock;

	private final List<Listener> listeners = new CopyOnWriteArrayList<>();

	private final Set<String> pending = ConcurrentHashMap.newKeySet();

	private final Map<String, Watched> namespaces = new LinkedHashMap<>();

	/** Per Service key ({@code namespace/name}): the targets it put, by name. */
	private final Map<String, Map<String, Wanted>> owned = new HashMap<>();

	/** Which Service key put a target name, so two Services never fight over one. */
	private final Map<String, String> ownerOf = new HashMap<>();

	private final Map<String, ProbeTemplate> lastGood = new HashMap<>();

	private final Map<String, List<AnnotationProblem>> reported = new HashMap<>();

	private final AtomicLong lastSyncMillis = new AtomicLong();

	private @Nullable Counter warnings;

	private @Nullable KubernetesClient client;

	private @Nullable ScheduledExecutorService executor;

	public KubernetesDiscovery(KubernetesDiscoveryProperties properties, TargetRegistry registry,
			TargetResolver resolver, MeterRegistry meters) {
		this(properties, registry, resolver, meters, Clock.systemUTC());
	}

	KubernetesDiscovery(KubernetesDiscoveryProperties properties, TargetRegistry registry, TargetResolver resolver,
			MeterRegistry meters, Clock clock) {
		this.properties = properties;
		this.registry = registry;
		this.resolver = resolver;
		this.meters = meters;
		this.clock = clock;
	}

	/** Hear of the warnings discovery gives. */
	public void addListener(Listener listener) {
		this.listeners.add(listener);
	}

	/** The namespaces watched, once started. */
	public synchronized List<String> namespaces() {
		return List.copyOf(this.namespaces.keySet());
	}

	@Override
	public synchronized void start() {
		if (this.client != null) {
			return;
		}
		Config config = Config.autoConfigure(null);
		if (this.properties.apiServer() != null) {
			config = new ConfigBuilder(config).withMasterUrl(this.properties.apiServer()).build();
		}
		// The JDK's own HttpClient: no second HTTP stack (Vert.x, OkHttp) in the image.
		KubernetesClient client = new KubernetesClientBuilder().withConfig(config)
			.withHttpClientFactory(httpClients(config.getMasterUrl()))
			.build();
		this.client = client;
		List<String> names = this.properties.namespaces().isEmpty()
				? List.of(Objects.requireNonNullElse(config.getNamespace(), "default")) : this.properties.namespaces();
		ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
			Thread thread = new Thread(task, "pulse-discovery");
			thread.setDaemon(true);
			return thread;
		});
		this.executor = executor;
		this.warnings = Counter.builder("pulse.discovery.warnings")
			.description("Annotations or endpoints discovery could not use (each change counted once)")
			.register(this.meters);
		Gauge.builder("pulse.discovery.last.sync.timestamp", this.lastSyncMillis, millis -> millis.get() / 1000.0)
			.description("When every watch was last running with its cache in sync (seconds since the epoch)")
			.baseUnit("seconds")
			.register(this.meters);
		long resync = this.properties.resyncPeriod().toMillis();
		for (String namespace : names) {
			var services = client.services().inNamespace(namespace);
			SharedIndexInformer<Service> serviceInformer = ((this.properties.serviceSelector() != null)
					? services.withLabelSelector(this.properties.serviceSelector()) : services)
				.runnableInformer(resync);
			SharedIndexInformer<EndpointSlice> sliceInformer = client.discovery()
				.v1()
				.endpointSlices()
				.inNamespace(namespace)
				.runnableInformer(resync);
			sliceInformer.addIndexers(Map.of(BY_SERVICE, slice -> {
				String service = serviceOf(slice);
				return (service != null) ? List.of(namespace + "/" + service) : List.of();
			}));
			Watched watched = new Watched(namespace, serviceInformer, sliceInformer, restarts(namespace, "services"),
					restarts(namespace, "endpointslices"));
			serviceInformer.addEventHandler(handler(service -> key(service)));
			sliceInformer.addEventHandler(handler(slice -> {
				String service = serviceOf(slice);
				return (service != null) ? namespace + "/" + service : null;
			}));
			serviceInformer.exceptionHandler((started, error) -> retry(namespace, "services", error));
			sliceInformer.exceptionHandler((started, error) -> retry(namespace, "endpointslices", error));
			this.namespaces.put(namespace, watched);
			// Not waited for: an API server that is down must not hold up start-up; the
			// informers list again with a backoff until it answers.
			serviceInformer.start();
			sliceInformer.start();
		}
		executor.scheduleWithFixedDelay(this::checkWatches, 1, 1, TimeUnit.SECONDS);
		logger.info("Kubernetes discovery started: namespaces {}, services {}, API server {}", names,
				(this.properties.serviceSelector() != null) ? "matching " + this.properties.serviceSelector()
						: "annotated " + ProbeAnnotations.PROBE,
				config.getMasterUrl());
	}

	/**
	 * The JDK's HttpClient. Over TLS it speaks HTTP/2 when the API server offers it (one
	 * connection carries every watch); over plain HTTP ({@code kubectl proxy}) it is held
	 * to HTTP/1.1, as an h2c upgrade on a watch is what proxies and servers break first.
	 */
	static JdkHttpClientFactory httpClients(String masterUrl) {
		boolean plain = masterUrl.regionMatches(true, 0, "http://", 0, 7);
		return new JdkHttpClientFactory() {

			@Override
			protected void additionalConfig(java.net.http.HttpClient.Builder builder) {
				if (plain) {
					builder.version(java.net.http.HttpClient.Version.HTTP_1_1);
				}
			}

		};
	}

	private Counter restarts(String namespace, String resource) {
		return Counter.builder("pulse.discovery.watch.restarts")
			.description("Times a watch stopped (closed by the server, a network error) and was started again")
			.tag("namespace", namespace)
			.tag("resource", resource)
			.register(this.meters);
	}

	private boolean retry(String namespace, String resource, Throwable error) {
		logger.warn("Watching {} in namespace {} failed ({}); listing again after a backoff", resource, namespace,
				error.toString());
		return true;
	}

	/** Counts watches that stopped, and stamps the time when all run in sync. */
	private void checkWatches() {
		try {
			boolean all = true;
			for (Watched watched : namespacesWatched()) {
				all &= watched.check();
			}
			if (all) {
				this.lastSyncMillis.set(this.clock.millis());
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Checking the Kubernetes watches failed", ex);
		}
	}

	private synchronized List<Watched> namespacesWatched() {
		return List.copyOf(this.namespaces.values());
	}

	private <T extends HasMetadata> ResourceEventHandler<T> handler(Function<T, @Nullable String> keyOf) {
		return new ResourceEventHandler<>() {

			@Override
			public void onAdd(T object) {
				enqueue(keyOf.apply(object));
			}

			@Override
			public void onUpdate(T previous, T object) {
				String before = keyOf.apply(previous);
				String after = keyOf.apply(object);
				enqueue(after);
				if (before != null && !before.equals(after)) {
					enqueue(before);
				}
			}

			@Override
			public void onDelete(T object, boolean finalStateUnknown) {
				enqueue(keyOf.apply(object));
			}

		};
	}

	/** Reconcile a Service soon; several events before it runs make one reconcile. */
	private void enqueue(@Nullable String key) {
		ScheduledExecutorService executor = this.executor;
		if (key == null || executor == null || !this.pending.add(key)) {
			return;
		}
		try {
			executor.execute(() -> {
				this.pending.remove(key);
				try {
					reconcile(key);
				}
				catch (RuntimeException ex) {
					logger.error("Reconciling Service {} failed; its targets stay as they were", key, ex);
				}
			});
		}
		catch (java.util.concurrent.RejectedExecutionException ex) {
			this.pending.remove(key);
		}
	}

	/**
	 * Bring one Service's targets in line with the caches. Runs on the discovery thread.
	 */
	void reconcile(String key) {
		String namespace = key.substring(0, key.indexOf('/'));
		Watched watched;
		synchronized (this) {
			watched = this.namespaces.get(namespace);
		}
		if (watched == null) {
			return;
		}
		Service service = watched.services.getStore().getByKey(key);
		List<AnnotationProblem> problems = new ArrayList<>();
		Map<String, Wanted> wanted = new LinkedHashMap<>();
		boolean keptLastGood = false;
		if (service != null && ProbeAnnotations.optedIn(service.getMetadata().getAnnotations())) {
			ProbeTemplate read = template(service, problems);
			if (read != null) {
				this.lastGood.put(key, read);
			}
			ProbeTemplate template = (read != null) ? read : this.lastGood.get(key);
			keptLastGood = read == null && template != null;
			if (template != null) {
				List<EndpointSlice> slices = watched.slices.getIndexer().byIndex(BY_SERVICE, key);
				String serviceName = service.getMetadata().getName();
				EndpointTargets.of(service, slices, template, problems)
					.forEach((name, found) -> wanted.put(name,
							new Wanted(template.properties(serviceName, found.url()), found.discovery())));
			}
		}
		else {
			this.lastGood.remove(key);
		}
		apply(key, wanted, problems);
		report(key, problems, keptLastGood);
	}

	private @Nullable ProbeTemplate template(Service service, List<AnnotationProblem> problems) {
		Map<String, String> annotations = service.getMetadata().getAnnotations();
		ProbeTemplate template = ProbeAnnotations.read(annotations, problems);
		if (template == null) {
			return null;
		}
		try {
			// The rules across keys (timeout within the interval, condition syntax) on
			// a stand-in address; the real ones are checked per endpoint.
			this.resolver.resolve("discovery-check",
					template.properties(service.getMetadata().getName(),
							template.scheme() + "://endpoint.invalid:80" + template.path()),
					Target.Source.KUBERNETES, "");
			return template;
		}
		catch (InvalidTargetException ex) {
			ex.violations()
				.forEach(violation -> problems
					.add(new AnnotationProblem(annotationOf(violation.field()), violation.message())));
			return null;
		}
	}

	private static String annotationOf(String field) {
		if (field.startsWith("conditions")) {
			return ProbeAnnotations.CONDITIONS;
		}
		return switch (field) {
			case "interval", "jitter" -> ProbeAnnotations.INTERVAL;
			case "timeout" -> ProbeAnnotations.TIMEOUT;
			case "weight" -> ProbeAnnotations.WEIGHT;
			case "url" -> ProbeAnnotations.PATH;
			default -> ProbeAnnotations.PREFIX + field;
		};
	}

	private void apply(String key, Map<String, Wanted> wanted, List<AnnotationProblem> problems) {
		Map<String, Wanted> before = this.owned.getOrDefault(key, Map.of());
		Map<String, Wanted> now = new LinkedHashMap<>();
		for (String name : before.keySet()) {
			if (!wanted.containsKey(name)) {
				this.ownerOf.remove(name);
				this.registry.find(name)
					.filter(target -> target.source() == Target.Source.KUBERNETES)
					.ifPresent(target -> this.registry.remove(name));
			}
		}
		wanted.forEach((name, want) -> {
			Target existing = this.registry.find(name).orElse(null);
			String owner = this.ownerOf.get(name);
			if ((existing != null && existing.source() != Target.Source.KUBERNETES)
					|| (owner != null && !owner.equals(key))) {
				problems.add(new AnnotationProblem(ProbeAnnotations.PROBE,
						"target name '" + name + "' is taken by "
								+ ((owner != null && !owner.equals(key)) ? "Service " + owner : "a declared target")
								+ "; that endpoint is not probed"));
				return;
			}
			if (existing != null && want.equals(before.get(name))) {
				now.put(name, want);
				return;
			}
			try {
				Target target = this.registry.resolve(name, want.properties(), Target.Source.KUBERNETES)
					.withDiscovery(want.discovery());
				this.registry.put(target);
				this.ownerOf.put(name, key);
				now.put(name, want);
			}
			catch (InvalidTargetException ex) {
				// Only the per-endpoint rules are left here: the SSRF policy on the
				// address.
				if (before.containsKey(name)) {
					this.ownerOf.remove(name);
					this.registry.remove(name);
				}
				problems.add(new AnnotationProblem(ProbeAnnotations.PROBE,
						"endpoint " + want.discovery().address() + " (" + name + ") is not probed: "
								+ ex.violations().get(0).message() + " (private pod networks pass the default "
								+ "pulse.security.ssrf.deny; pulse.security.ssrf.allow admits a denied range)"));
			}
		});
		if (now.isEmpty()) {
			this.owned.remove(key);
		}
		else {
			this.owned.put(key, now);
		}
	}

	/** Warn about a Service's problems when they differ from the ones last reported. */
	private void report(String key, List<AnnotationProblem> problems, boolean keptLastGood) {
		List<AnnotationProblem> last = this.reported.getOrDefault(key, List.of());
		if (problems.equals(last)) {
			return;
		}
		if (problems.isEmpty()) {
			this.reported.remove(key);
			logger.info("Service {}: its pulse.dev annotations and endpoints are fine again", key);
			return;
		}
		this.reported.put(key, List.copyOf(problems));
		String namespace = key.substring(0, key.indexOf('/'));
		String service = key.substring(key.indexOf('/') + 1);
		for (AnnotationProblem problem : problems) {
			if (last.contains(problem)) {
				continue;
			}
			logger.warn("Service {} in namespace {}: annotation {}: {}{}", service, namespace, problem.annotation(),
					problem.message(), keptLastGood ? " (its last good annotations stay in use)" : "");
			if (this.warnings != null) {
				this.warnings.increment();
			}
			this.listeners
				.forEach(listener -> listener.warning(namespace, service, problem.annotation(), problem.message()));
		}
	}

	@Override
	public void stop() {
		ScheduledExecutorService executor;
		KubernetesClient client;
		List<Watched> watched;
		synchronized (this) {
			executor = this.executor;
			client = this.client;
			watched = List.copyOf(this.namespaces.values());
			this.executor = null;
			this.client = null;
			this.namespaces.clear();
		}
		watched.forEach(Watched::stop);
		if (executor != null) {
			executor.shutdownNow();
		}
		if (client != null) {
			client.close();
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.client != null;
	}

	private static @Nullable String serviceOf(EndpointSlice slice) {
		Map<String, String> labels = slice.getMetadata().getLabels();
		return (labels != null) ? labels.get(EndpointTargets.SERVICE_NAME_LABEL) : null;
	}

	private static String key(HasMetadata object) {
		return object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
	}

	/**
	 * Hears of discovery's warnings: one call per new problem, on the discovery thread.
	 */
	public interface Listener {

		/**
		 * A Service has an annotation or an endpoint discovery cannot use.
		 * @param namespace the Service's namespace
		 * @param service the Service's name
		 * @param annotation the annotation at fault
		 * @param message what is wrong
		 */
		void warning(String namespace, String service, String annotation, String message);

	}

	/** What discovery wants for one target; equal values mean nothing to change. */
	private record Wanted(dev.pulse.target.TargetProperties properties, Target.Discovery discovery) {
	}

	/** The two informers of one namespace and the watch state last seen. */
	private static final class Watched {

		final String namespace;

		final SharedIndexInformer<Service> services;

		final SharedIndexInformer<EndpointSlice> slices;

		private final Counter serviceRestarts;

		private final Counter sliceRestarts;

		private boolean servicesWatching;

		private boolean slicesWatching;

		Watched(String namespace, SharedIndexInformer<Service> services, SharedIndexInformer<EndpointSlice> slices,
				Counter serviceRestarts, Counter sliceRestarts) {
			this.namespace = namespace;
			this.services = services;
			this.slices = slices;
			this.serviceRestarts = serviceRestarts;
			this.sliceRestarts = sliceRestarts;
		}

		/** Whether both watches run in sync now; counts a watch that stopped since. */
		boolean check() {
			boolean services = this.services.isWatching();
			boolean slices = this.slices.isWatching();
			if (this.servicesWatching && !services) {
				this.serviceRestarts.increment();
				logger.warn("The watch on Services in namespace {} stopped; relisting and watching again",
						this.namespace);
			}
			if (this.slicesWatching && !slices) {
				this.sliceRestarts.increment();
				logger.warn("The watch on EndpointSlices in namespace {} stopped; relisting and watching again",
						this.namespace);
			}
			this.servicesWatching = services;
			this.slicesWatching = slices;
			return services && slices && this.services.hasSynced() && this.slices.hasSynced();
		}

		void stop() {
			this.services.stop();
			this.slices.stop();
		}

	}

}
