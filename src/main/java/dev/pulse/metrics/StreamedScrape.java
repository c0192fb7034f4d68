package dev.pulse.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.prometheus.metrics.config.PrometheusPropertiesLoader;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.AbstractResource;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Streams {@code /actuator/prometheus} to the client instead of building it in memory.
 * <p>
 * Spring Boot's scrape endpoint renders the whole exposition into a byte array and then
 * copies it: at 10,000 targets that is 2 to 3 times a scrape of tens of megabytes on top
 * of the live set, which is what ran a 512 MB heap out of memory. This advisor keeps the
 * endpoint (its path, exposure, access rules, formats and {@code includedNames}) and only
 * replaces how the body is produced: the snapshot is still taken at once, so every series
 * comes from the same instant, but its text is written straight into the response
 * ({@link FamilyByFamilyStream}), never held whole.
 */
@Component
public class StreamedScrape implements OperationInvokerAdvisor {

	private static final EndpointId PROMETHEUS = EndpointId.of("prometheus");

	private final ObjectProvider<PrometheusRegistry> registry;

	private final ObjectProvider<PrometheusConfig> config;

	private volatile @Nullable ExpositionFormats formats;

	// Providers: the advisor is asked while endpoints are discovered, and an application
	// without the Prometheus registry keeps Spring Boot's endpoint unchanged.
	public StreamedScrape(ObjectProvider<PrometheusRegistry> registry, ObjectProvider<PrometheusConfig> config) {
		this.registry = registry;
		this.config = config;
	}

	@Override
	public OperationInvoker apply(EndpointId endpointId, OperationType operationType, OperationParameters parameters,
			OperationInvoker invoker) {
		if (!PROMETHEUS.equals(endpointId) || operationType != OperationType.READ) {
			return invoker;
		}
		PrometheusRegistry registry = this.registry.getIfAvailable();
		if (registry == null) {
			return invoker;
		}
		return (context) -> scrape(registry, context);
	}

	private WebEndpointResponse<Resource> scrape(PrometheusRegistry registry, InvocationContext context) {
		PrometheusOutputFormat format = context.resolveArgument(PrometheusOutputFormat.class);
		Set<String> includedNames = includedNames(context.getArguments());
		return new WebEndpointResponse<>(new ScrapeResource(registry, includedNames, writer(format)), format);
	}

	private ExpositionFormatWriter writer(PrometheusOutputFormat format) {
		ExpositionFormats formats = formats();
		return switch (format) {
			case CONTENT_TYPE_004 -> formats.getPrometheusTextFormatWriter();
			case CONTENT_TYPE_OPENMETRICS_100 -> formats.getOpenMetricsTextFormatWriter();
			case CONTENT_TYPE_PROTOBUF -> formats.getPrometheusProtobufWriter();
		};
	}

	/**
	 * The formats as Spring Boot's endpoint configures them, from the same properties.
	 */
	private ExpositionFormats formats() {
		ExpositionFormats formats = this.formats;
		if (formats == null) {
			PrometheusConfig config = this.config.getIfAvailable();
			formats = ExpositionFormats
				.init(((config != null) ? PrometheusPropertiesLoader.load(config.prometheusProperties())
						: PrometheusPropertiesLoader.load())
					.getExporterProperties());
			this.formats = formats;
		}
		return formats;
	}

	/**
	 * The names as the web layer hands them over: one parameter arrives as a single
	 * string ({@code a,b}), a repeated one as a list; Spring Boot's own endpoint splits
	 * both on commas, and so does this.
	 */
	static @Nullable Set<String> includedNames(Map<String, Object> arguments) {
		Object names = arguments.get("includedNames");
		if (names == null) {
			return null;
		}
		Set<String> split = new LinkedHashSet<>();
		Iterable<?> values = (names instanceof Iterable<?> iterable) ? iterable
				: (names instanceof Object[] array) ? Arrays.asList(array) : List.of(names);
		for (Object value : values) {
			// Trimmed, empty names dropped, as Spring's conversion of "a, b,,c" to a set.
			split.addAll(Arrays.asList(StringUtils.tokenizeToStringArray(String.valueOf(value), ",")));
		}
		return split;
	}

	/**
	 * The body: a fresh snapshot each time it is opened, of unknown length, so it is sent
	 * chunked instead of being read twice to be measured.
	 */
	private static final class ScrapeResource extends AbstractResource {

		private final PrometheusRegistry registry;

		private final @Nullable Set<String> includedNames;

		private final ExpositionFormatWriter writer;

		ScrapeResource(PrometheusRegistry registry, @Nullable Set<String> includedNames,
				ExpositionFormatWriter writer) {
			this.registry = registry;
			this.includedNames = includedNames;
			this.writer = writer;
		}

		@Override
		public InputStream getInputStream() throws IOException {
			Set<String> names = this.includedNames;
			MetricSnapshots snapshots = (names != null) ? this.registry.scrape(names::contains)
					: this.registry.scrape();
			return new FamilyByFamilyStream(snapshots, this.writer);
		}

		@Override
		public long contentLength() {
			return -1;
		}

		@Override
		public String getDescription() {
			return "Prometheus scrape";
		}

	}

}
