package dev.pulse.probe;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.pulse.transport.ProbeTransport;

/** Wires the HTTP prober onto the shared transport. */
@Configuration(proxyBeanMethods = false)
class ProbeConfiguration {

	@Bean
	Prober prober(ProbeTransport transport) {
		return new HttpProber(transport);
	}

}
