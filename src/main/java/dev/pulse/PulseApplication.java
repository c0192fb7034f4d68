package dev.pulse;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Pulse: HTTP heartbeats through one tuned connection pool, health states and routing
 * scores.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PulseApplication {

	public static void main(String[] args) {
		SpringApplication.run(PulseApplication.class, args);
	}

}
