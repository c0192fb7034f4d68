package dev.pulse.support;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.pulse.target.PulseProperties;
import dev.pulse.target.RetryProperties;
import dev.pulse.target.Target;
import dev.pulse.target.TargetProperties;
import dev.pulse.target.TargetRegistry;
import dev.pulse.target.TargetResolver;

/**
 * Builds resolved {@link Target}s for tests through the same resolver configuration uses.
 */
public final class TestTargets {

	private TargetProperties.Tcp tcp;

	private String heartbeat;

	private String name = "t";

	private final String url;

	private String method = "GET";

	private final Map<String, String> headers = new LinkedHashMap<>();

	private @Nullable String body;

	private @Nullable String service;

	private int weight = 100;

	private Duration interval = Duration.ofSeconds(10);

	private @Nullable Duration timeout;

	private Duration jitter = Duration.ZERO;

	private List<String> conditions = List.of("[STATUS] == 200");

	private boolean freshConnection;

	private boolean insecureSkipVerify;

	private @Nullable RetryProperties retry = new RetryProperties(1, null, null, null, null, null);

	private Target.Source source = Target.Source.CONFIG;

	private TestTargets(String url) {
		this.url = url;
	}

	public static TestTargets target(String url) {
		return new TestTargets(url);
	}

	public TestTargets name(String name) {
		this.name = name;
		return this;
	}

	public TestTargets service(String service) {
		this.service = service;
		return this;
	}

	public TestTargets weight(int weight) {
		this.weight = weight;
		return this;
	}

	public TestTargets method(String method) {
		this.method = method;
		return this;
	}

	public TestTargets header(String name, String value) {
		this.headers.put(name, value);
		return this;
	}

	public TestTargets body(String body) {
		this.body = body;
		return this;
	}

	public TestTargets interval(Duration interval) {
		this.interval = interval;
		return this;
	}

	public TestTargets timeout(Duration timeout) {
		this.timeout = timeout;
		return this;
	}

	public TestTargets jitter(Duration jitter) {
		this.jitter = jitter;
		return this;
	}

	public TestTargets conditions(String... conditions) {
		this.conditions = List.of(conditions);
		return this;
	}

	public TestTargets freshConnection() {
		this.freshConnection = true;
		return this;
	}

	/**
	 * Retry as configured; without this call a test target makes one attempt per cycle.
	 */
	public TestTargets retry(RetryProperties retry) {
		this.retry = retry;
		return this;
	}

	/** Where the target comes from; without this call it is configured. */
	public TestTargets source(Target.Source source) {
		this.source = source;
		return this;
	}

	/** What a {@code tcp://} target sends and expects; any may be null. */
	public TestTargets tcp(String send, String expect, Integer readBytes) {
		this.tcp = new TargetProperties.Tcp(send, expect, readBytes);
		return this;
	}

	/** {@code per-probe} or {@code persistent}. */
	public TestTargets heartbeat(String heartbeat) {
		this.heartbeat = heartbeat;
		return this;
	}

	public TestTargets insecureSkipVerify() {
		this.insecureSkipVerify = true;
		return this;
	}

	private static Duration min(Duration a, Duration b) {
		return (a.compareTo(b) <= 0) ? a : b;
	}

	private static final PulseProperties.Defaults DEFAULTS = new PulseProperties.Defaults(Duration.ofSeconds(10),
			Duration.ofSeconds(5), null, List.of("[STATUS] == 200"), null);

	public TargetProperties properties() {
		return new TargetProperties(this.service, this.url, this.method, this.headers, this.body, this.interval,
				(this.timeout != null) ? this.timeout : min(Duration.ofSeconds(2), this.interval), this.jitter,
				// A tcp://, tls:// or grpc:// target without conditions of its own gets
				// the resolver's default.
				(!this.url.startsWith("http") && this.conditions.equals(List.of("[STATUS] == 200"))) ? null
						: this.conditions,
				this.weight, this.freshConnection, new TargetProperties.Tls(this.insecureSkipVerify), true, this.retry,
				this.tcp, this.heartbeat);
	}

	public Target build() {
		return new TargetResolver(DEFAULTS).resolve(this.name, properties(), this.source,
				"pulse.targets." + this.name + ".");
	}

	/** A registry holding these targets, as configuration would declare them. */
	public static TargetRegistry registry(TestTargets... targets) {
		Map<String, TargetProperties> map = new LinkedHashMap<>();
		for (TestTargets target : targets) {
			map.put(target.name, target.properties());
		}
		return new TargetRegistry(new PulseProperties(DEFAULTS, map));
	}

}
