package dev.pulse.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders and lints {@code helm/pulse} through helm-java (Helm's own Go code, linked as a
 * native library: no helm binary, no network).
 */
final class PulseChart {

	static final Path CHART = Path.of("helm/pulse");

	static final String RELEASE = "pulse";

	static final String NAMESPACE = "monitoring";

	private PulseChart() {
	}

	/** The files of {@code ci/}, one per optional feature. */
	static Stream<Path> ciValues() {
		try (Stream<Path> files = Files.list(CHART.resolve("ci"))) {
			List<Path> list = files.filter(p -> p.getFileName().toString().endsWith("-values.yaml")).sorted().toList();
			return list.stream();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** {@code helm template pulse helm/pulse -n monitoring -f <each file>}. */
	static String template(Path... valuesFiles) {
		var command = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
		for (Path file : valuesFiles) {
			command = command.withValuesFile(file.toAbsolutePath());
		}
		return command.call();
	}

	/** Every rendered object, as parsed YAML. */
	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> render(Path... valuesFiles) {
		List<Map<String, Object>> objects = new ArrayList<>();
		for (Object document : new Yaml().loadAll(template(valuesFiles))) {
			if (document != null) {
				objects.add((Map<String, Object>) document);
			}
		}
		return objects;
	}

	/**
	 * {@code helm lint --strict} with the given values. helm-java 0.0.15's LintCommand
	 * takes no values file, so the chart is copied and the values are merged into its
	 * values.yaml, which is what {@code helm lint -f} does.
	 */
	static LintResult lint(Path workDir, Path... valuesFiles) {
		Path copy = copyChart(workDir);
		Map<String, Object> values = load(CHART.resolve("values.yaml"));
		for (Path file : valuesFiles) {
			values = merge(values, load(file));
		}
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		try {
			Files.writeString(copy.resolve("values.yaml"), new Yaml(options).dump(values));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new Helm(copy).lint().strict().call();
	}

	static Path copyChart(Path workDir) {
		Path target = workDir.resolve("pulse");
		try (Stream<Path> files = Files.walk(CHART)) {
			for (Path source : files.toList()) {
				Path destination = target.resolve(CHART.relativize(source).toString());
				if (Files.isDirectory(source)) {
					Files.createDirectories(destination);
				}
				else {
					Files.copy(source, destination);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return target;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> load(Path file) {
		try {
			Map<String, Object> map = new Yaml().load(Files.readString(file));
			return (map != null) ? map : new LinkedHashMap<>();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Helm's coalescing: maps merge recursively, anything else is replaced, null deletes.
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override) {
		Map<String, Object> merged = new LinkedHashMap<>(base);
		override.forEach((key, value) -> {
			Object existing = merged.get(key);
			if (value == null) {
				merged.remove(key);
			}
			else if (existing instanceof Map && value instanceof Map) {
				merged.put(key, merge((Map<String, Object>) existing, (Map<String, Object>) value));
			}
			else {
				merged.put(key, value);
			}
		});
		return merged;
	}

	static Path write(Path dir, String name, String content) {
		try {
			return Files.writeString(dir.resolve(name), content);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
		return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
	}

	static Map<String, Object> one(List<Map<String, Object>> objects, String kind) {
		List<Map<String, Object>> found = ofKind(objects, kind);
		if (found.size() != 1) {
			throw new AssertionError("expected one " + kind + " but found " + found.size());
		}
		return found.get(0);
	}

	/** The ConfigMap that holds Pulse's application.yaml (not the dashboard's). */
	static String applicationYaml(List<Map<String, Object>> objects) {
		return ofKind(objects, "ConfigMap").stream()
			.map(o -> map(o, "data"))
			.filter(data -> data.containsKey("application.yaml"))
			.map(data -> (String) data.get("application.yaml"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no ConfigMap with application.yaml"));
	}

	/** The value at a dotted path of maps; list indexes are numbers. */
	@SuppressWarnings("unchecked")
	static <T> T at(Object root, String path) {
		Object current = root;
		for (String part : path.split("\\.")) {
			if (current instanceof List<?> list) {
				current = list.get(Integer.parseInt(part));
			}
			else if (current instanceof Map<?, ?> map) {
				current = map.get(part);
			}
			else {
				throw new AssertionError("no " + part + " in " + path + " (found " + current + ")");
			}
		}
		return (T) current;
	}

	static Map<String, Object> map(Object root, String path) {
		return at(root, path);
	}

}
