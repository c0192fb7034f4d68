package dev.pulse.discovery;

import java.util.Arrays;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.pulse.target.PulseProperties;
import dev.pulse.target.Target;
import dev.pulse.target.TargetRegistry;
import dev.pulse.target.TargetResolver;

/**
 * Discovery's beans: the Kubernetes watcher when
 * {@code pulse.discovery.kubernetes.enabled} is true, and the targets-per-source gauge
 * always, so a dashboard reads one series whichever sources are on.
 */
@Configuration(proxyBeanMethods = false)
class DiscoveryConfiguration {

	@Bean
	@ConditionalOnBooleanProperty("pulse.discovery.kubernetes.enabled")
	KubernetesDiscovery kubernetesDiscovery(KubernetesDiscoveryProperties properties, TargetRegistry registry,
			PulseProperties pulse, MeterRegistry meters) {
		return new KubernetesDiscovery(properties, registry, new TargetResolver(pulse.defaults()), meters);
	}

	@Bean
	SmartInitializingSingleton discoveryTargetGauges(TargetRegistry registry, MeterRegistry meters) {
		return () -> Arrays.stream(Target.Source.values())
			.forEach(source -> Gauge
				.builder("pulse.discovery.targets", registry,
						targets -> targets.all().stream().filter(target -> target.source() == source).count())
				.description("Targets Pulse knows, by where they come from: config, api or kubernetes")
				.tag("source", source.value())
				.register(meters));
	}

}
