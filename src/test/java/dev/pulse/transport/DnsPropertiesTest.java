package dev.pulse.transport;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@code pulse.transport.dns.servers}: IP literals with an optional port, never names.
 */
class DnsPropertiesTest {

	@Test
	void serversShouldBeIpLiteralsWithAnOptionalPort() {
		DnsProperties dns = new DnsProperties(
				List.of("10.0.0.10", "127.0.0.1:5353", "[fd00::10]:54", "fd00::11", "[::1]"));

		assertThat(dns.addresses()).containsExactly(new InetSocketAddress("10.0.0.10", 53),
				new InetSocketAddress("127.0.0.1", 5353), new InetSocketAddress("fd00::10", 54),
				new InetSocketAddress("fd00::11", 53), new InetSocketAddress("::1", 53));
	}

	@Test
	void noServersShouldMeanTheSystemOnes() {
		assertThat(DnsProperties.system().addresses()).isEmpty();
		assertThat(new DnsProperties(null).servers()).isEmpty();
	}

	@Test
	void everyInvalidServerShouldBeNamedByItsKey() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DnsProperties(List.of("10.0.0.10", "dns.internal", "10.0.0.1:0", "[fd00::1]x")))
			.withMessage("pulse.transport.dns.servers[1]: 'dns.internal' is not an IP address with an optional port; "
					+ "pulse.transport.dns.servers[2]: '10.0.0.1:0' is not an IP address with an optional port; "
					+ "pulse.transport.dns.servers[3]: '[fd00::1]x' is not an IP address with an optional port");
	}

}
