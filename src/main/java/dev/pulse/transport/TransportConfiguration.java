package dev.pulse.transport;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Builds the one {@link ProbeTransport}, with the {@link AddressPolicy} bean for its
 * guarded clients when there is one and the name servers of {@link DnsProperties}; Spring
 * closes it (and its pool) on shutdown.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DnsProperties.class)
class TransportConfiguration {

	@Bean(destroyMethod = "close")
	ProbeTransport probeTransport(TransportProperties properties, ObjectProvider<BuildProperties> build,
			ObjectProvider<AddressPolicy> guard, DnsProperties dns) {
		String userAgent = properties.userAgent();
		if (userAgent == null || userAgent.isBlank()) {
			BuildProperties info = build.getIfAvailable();
			userAgent = "Pulse/" + ((info != null && info.getVersion() != null) ? info.getVersion() : "dev");
		}
		// The guard (the SSRF policy) is defined outside transport; without one, guarded
		// clients are the plain ones.
		return new ProbeTransport(properties, userAgent, guard.getIfAvailable(), dns.addresses());
	}

}
