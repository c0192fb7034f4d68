package dev.pulse.target;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** {@code pulse.targets-file}: read, validated as pulse.targets is, and reloaded. */
class TargetsFileTest {

	private static final PulseProperties.Defaults DEFAULTS = new PulseProperties.Defaults(Duration.ofSeconds(10),
			Duration.ofSeconds(5), null, List.of("[STATUS] == 200"), null);

	@TempDir
	Path directory;

	private TargetRegistry registry(Path file, Map<String, TargetProperties> configured) {
		return new TargetRegistry(new PulseProperties(DEFAULTS, configured), new ImportProperties(null),
				new TargetsFileProperties(file.toString(), Duration.ofMillis(100)), List.of());
	}

	private Path write(String name, String text) throws IOException {
		Path file = this.directory.resolve(name);
		Path temporary = this.directory.resolve(name + ".tmp");
		Files.writeString(temporary, text);
		// Replaced at once, as a ConfigMap's symlink swap does.
		Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
				java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		return file;
	}

	@Test
	void aYamlFileShouldGiveTargetsAsPulseTargetsWould() throws IOException {
		Path file = write("targets.yaml", """
				checkout:
				  url: http://127.0.0.1:9001/health
				  service: shop
				  interval: 2s
				  timeout: 500ms
				  conditions: ["[STATUS] == 200", "[BODY].status == UP"]
				  headers:
				    X-Api-Key: k
				  retry:
				    max-attempts: 3
				  fresh-connection: true
				billing:
				  url: http://127.0.0.1:9002/health
				""");

		TargetRegistry registry = registry(file, Map.of());

		Target checkout = registry.find("checkout").orElseThrow();
		assertThat(checkout.source()).isEqualTo(Target.Source.CONFIG);
		assertThat(checkout.url()).isEqualTo(URI.create("http://127.0.0.1:9001/health"));
		assertThat(checkout.service()).isEqualTo("shop");
		assertThat(checkout.interval()).isEqualTo(Duration.ofSeconds(2));
		assertThat(checkout.timeout()).isEqualTo(Duration.ofMillis(500));
		assertThat(checkout.conditions()).hasSize(2);
		assertThat(checkout.headers()).containsExactly(Map.entry("X-Api-Key", "k"));
		assertThat(checkout.retry().maxAttempts()).isEqualTo(3);
		assertThat(checkout.freshConnection()).isTrue();
		Target billing = registry.find("billing").orElseThrow();
		assertThat(billing.interval()).as("the defaults apply").isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void aJsonFileUnderATargetsKeyShouldWorkToo() throws IOException {
		Path file = write("targets.json",
				"{\"targets\": {\"a\": {\"url\": \"http://127.0.0.1:9001/\", \"interval\": \"30s\", \"weight\": 7}}}");

		Target a = registry(file, Map.of()).find("a").orElseThrow();

		assertThat(a.interval()).isEqualTo(Duration.ofSeconds(30));
		assertThat(a.weight()).isEqualTo(7);
	}

	@Test
	void everyProblemOfTheFileShouldBeReportedAtOnce() throws IOException {
		Path file = write("targets.yaml", """
				bad-interval:
				  url: http://127.0.0.1:9001/
				  interval: soon
				bad-url:
				  url: ftp://127.0.0.1/
				bad-weight:
				  url: http://127.0.0.1:9001/
				  weight: 5000
				bad-condition:
				  url: http://127.0.0.1:9001/
				  conditions: ["[STATUS] =="]
				taken:
				  url: http://127.0.0.1:9001/
				""");
		TargetProperties taken = new TargetProperties(null, "http://127.0.0.1:9009/", "GET", Map.of(), null, null, null,
				null, null, 100, false, new TargetProperties.Tls(false), true, null);

		assertThatExceptionOfType(InvalidTargetException.class).isThrownBy(() -> registry(file, Map.of("taken", taken)))
			.satisfies(ex -> assertThat(ex.violations()).extracting(InvalidTargetException.Violation::field)
				.containsExactlyInAnyOrder("targets.yaml: bad-interval.interval", "targets.yaml: bad-url.url",
						"targets.yaml: bad-weight.weight", "targets.yaml: bad-condition.conditions[0]",
						"targets.yaml: taken"));
	}

	@Test
	void aReloadShouldAddChangeAndRemoveAndLeaveTheRestAlone() throws IOException {
		Path file = write("targets.yaml", """
				keep: {url: "http://127.0.0.1:9001/"}
				change: {url: "http://127.0.0.1:9002/"}
				drop: {url: "http://127.0.0.1:9003/"}
				""");
		TargetRegistry registry = registry(file, Map.of());
		List<String> heard = new CopyOnWriteArrayList<>();
		registry.addListener(new Recorder(heard));

		write("targets.yaml", """
				keep: {url: "http://127.0.0.1:9001/"}
				change: {url: "http://127.0.0.1:9002/", interval: 30s}
				add: {url: "http://127.0.0.1:9004/"}
				""");
		assertThat(registry.reloadTargetsFile()).isEmpty();

		assertThat(heard).containsExactlyInAnyOrder("removed drop", "put change", "put add");
		assertThat(registry.all()).extracting(Target::name).containsExactly("add", "change", "keep");
	}

	@Test
	void theWatcherShouldApplyAChangeAndKeepTheTargetsWhenTheFileBreaks() throws IOException {
		Path file = write("targets.yaml", "a: {url: \"http://127.0.0.1:9001/\"}\n");
		TargetRegistry registry = registry(file, Map.of());
		TargetsFileWatcher watcher = new TargetsFileWatcher(registry,
				new TargetsFileProperties(file.toString(), Duration.ofMillis(100)));
		watcher.start();
		try {
			write("targets.yaml", "a: {url: \"http://127.0.0.1:9001/\"}\nb: {url: \"http://127.0.0.1:9002/\"}\n");
			await().atMost(Duration.ofSeconds(5)).until(() -> registry.find("b").isPresent());

			write("targets.yaml", "a: {url: \"http://127.0.0.1:9001/\", interval: never}\n");
			// One poll after the broken write, then one more: nothing may have changed.
			await().pollDelay(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5)).until(() -> true);
			assertThat(registry.all()).extracting(Target::name).containsExactly("a", "b");

			write("targets.yaml", "b: {url: \"http://127.0.0.1:9002/\"}\n");
			await().atMost(Duration.ofSeconds(5)).until(() -> registry.find("a").isEmpty());
		}
		finally {
			watcher.stop();
		}
	}

	@Test
	void tenThousandTargetsShouldAllBeRead() throws IOException {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 10_000; i++) {
			text.append("t-")
				.append(i)
				.append(":\n  url: http://127.0.0.")
				.append(1 + i % 10)
				.append(":9000/health?i=")
				.append(i)
				.append("\n  interval: 1s\n  timeout: 800ms\n");
		}
		Path file = write("large.yaml", text.toString());

		TargetRegistry registry = registry(file, Map.of());

		assertThat(registry.size()).isEqualTo(10_000);
		assertThat(registry.find("t-9999").orElseThrow().timeout()).isEqualTo(Duration.ofMillis(800));
	}

	private record Recorder(List<String> heard) implements TargetRegistry.Listener {

		@Override
		public void onPut(@Nullable Target previous, Target target) {
			this.heard.add("put " + target.name());
		}

		@Override
		public void onRemoved(Target target) {
			this.heard.add("removed " + target.name());
		}

	}

}
