package dev.pulse.probe;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.pulse.transport.ProbeTransport;

/**
 * Wires the HTTP and TCP probers onto the shared transport, with retries under the global
 * budget.
 */
@Configuration(proxyBeanMethods = false)
class ProbeConfiguration {

	@Bean
	RetryBudget retryBudget(RetryBudgetProperties properties) {
		return new RetryBudget(properties);
	}

	@Bean
	Prober prober(ProbeTransport transport, RetryBudget budget, ObjectProvider<ProbeIdentity> identity) {
		Prober byScheme = new SchemeProber(new HttpProber(transport, identity.getIfAvailable()),
				new TcpProber(transport), new TlsProber(transport), new GrpcProber(transport));
		return new RetryingProber(byScheme, budget);
	}

}
