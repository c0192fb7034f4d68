package dev.pulse.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.pulse.PulseApplication;

/**
 * A whole Pulse on a random loopback port with a store of its own (the test profile's
 * temporary SQLite file), for tests that cannot live in Spring's test context, such as
 * jqwik properties, or that need several differently configured instances at once.
 */
public final class RunningPulse implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private RunningPulse(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Start Pulse with the test profile.
	 * @param properties extra properties, such as {@code pulse.api.write-token=x}
	 */
	public static RunningPulse start(String... properties) {
		// Stopped at once: a graceful stop would wait for an open event stream.
		List<String> args = new ArrayList<>(List.of("--spring.profiles.active=test", "--server.port=0",
				"--server.address=127.0.0.1", "--server.shutdown=immediate"));
		for (String property : properties) {
			args.add("--" + property);
		}
		return new RunningPulse(new SpringApplicationBuilder(PulseApplication.class).run(args.toArray(String[]::new)));
	}

	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	public ApiClient api() {
		return new ApiClient(port());
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	/** The store's rows, exactly as stored, in name order. */
	public List<Map<String, Object>> storedRows() {
		return this.context.getBean(JdbcClient.class)
			.sql("SELECT name, definition, created_at, updated_at FROM target_registration ORDER BY name")
			.query()
			.listOfRows();
	}

	@Override
	public void close() {
		this.context.close();
	}

}
