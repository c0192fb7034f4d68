package dev.pulse.discovery;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Kubernetes discovery, under {@code pulse.discovery.kubernetes}.
 *
 * @param enabled watch Services and EndpointSlices and probe the ready pods of every
 * Service annotated {@code pulse.dev/probe: "true"}; default false
 * @param namespaces the namespaces watched; default (empty): Pulse's own, read from the
 * service account (or the kubeconfig's context outside a cluster)
 * @param serviceSelector a label selector (as {@code kubectl -l} spells it) a Service
 * must match as well as carry the annotation; default none
 * @param apiServer the API server's URL; default: found the way {@code kubectl} finds it
 * (in-cluster service account, {@code KUBERNETES_MASTER}, kubeconfig)
 * @param resyncPeriod how often every Service is reconciled again from the informers'
 * caches, in case an event was lost; default 5m
 */
@ConfigurationProperties("pulse.discovery.kubernetes")
@Validated
public record KubernetesDiscoveryProperties(@DefaultValue("false") boolean enabled,
		@DefaultValue @NotNull List<String> namespaces, @Nullable String serviceSelector, @Nullable String apiServer,
		@DefaultValue("5m") Duration resyncPeriod) {

	public KubernetesDiscoveryProperties {
		namespaces = List.copyOf(namespaces);
	}

}
