package dev.pulse.security;

import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.channel.Channel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

import dev.pulse.support.FaultServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Pins the reactor-netty behaviour the connect guard is built on: the resolved-address
 * selector also runs for IP-literal hosts (whose address needs no DNS), and a selector
 * that keeps nothing is reported as an {@link UnknownHostException} and, for an IP
 * literal, leaves the registered channel open. That is why the guard never empties the
 * list and refuses denied addresses in the pipeline instead.
 */
class ResolvedAddressSelectorTest {

	private final LoopResources loops = LoopResources.create("selector-test", 1, true);

	private final List<Object> selected = new CopyOnWriteArrayList<>();

	private final List<Channel> channels = new CopyOnWriteArrayList<>();

	@AfterEach
	void closeLoops() {
		this.channels.forEach(Channel::close);
		this.loops.disposeLater(Duration.ZERO, Duration.ofSeconds(5)).block(Duration.ofSeconds(5));
	}

	private HttpClient client(boolean keepNothing) {
		return HttpClient.create(ConnectionProvider.newConnection())
			.runOn(this.loops)
			.doOnChannelInit((observer, channel, remote) -> this.channels.add(channel))
			.resolvedAddressesSelector((config, resolved) -> {
				this.selected.add(List.copyOf(resolved));
				List<? extends SocketAddress> none = List.of();
				return keepNothing ? none : resolved;
			});
	}

	@Test
	void selectorShouldSeeTheAddressOfAnIpLiteralHost() {
		try (FaultServer server = FaultServer.start(FaultServer.healthy())) {
			int status = client(false).get()
				.uri(server.url("/health"))
				.responseSingle((response, body) -> body.then().thenReturn(response.status().code()))
				.block(Duration.ofSeconds(5));

			assertThat(status).isEqualTo(200);
			assertThat(this.selected).singleElement()
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
				.singleElement()
				.hasToString("/127.0.0.1:" + server.port());
		}
	}

	@Test
	void emptySelectionForAnIpLiteralShouldFailAsUnknownHostAndLeaveTheChannelOpen() {
		try (FaultServer server = FaultServer.start(FaultServer.healthy())) {
			assertThatThrownBy(
					() -> client(true).get().uri(server.url("/health")).response().block(Duration.ofSeconds(5)))
				.hasRootCauseInstanceOf(UnknownHostException.class)
				.hasRootCauseMessage("Failed to resolve [/127.0.0.1:" + server.port() + "]");

			assertThat(server.acceptedConnections()).isZero();
			await().during(Duration.ofMillis(200))
				.atMost(Duration.ofSeconds(1))
				.untilAsserted(() -> assertThat(this.channels).singleElement().matches(Channel::isOpen, "open"));
		}
	}

}
