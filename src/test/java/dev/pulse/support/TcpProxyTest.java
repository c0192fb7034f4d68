package dev.pulse.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy ClusterIT cuts to take the database away: it relays, refuses, relays again.
 */
class TcpProxyTest {

	private ServerSocket upstream;

	private Thread echo;

	@BeforeEach
	void startAnEchoServer() throws IOException {
		this.upstream = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
		this.echo = new Thread(() -> {
			while (!this.upstream.isClosed()) {
				try {
					Socket socket = this.upstream.accept();
					Thread copy = new Thread(() -> {
						try (socket) {
							socket.getInputStream().transferTo(socket.getOutputStream());
						}
						catch (IOException ex) {
							// The proxy went away.
						}
					});
					copy.setDaemon(true);
					copy.start();
				}
				catch (IOException ex) {
					// Closed.
				}
			}
		});
		this.echo.setDaemon(true);
		this.echo.start();
	}

	@AfterEach
	void stopTheEchoServer() throws IOException {
		this.upstream.close();
	}

	private static int roundTrip(Socket socket, int value) throws IOException {
		socket.setSoTimeout(5000);
		OutputStream out = socket.getOutputStream();
		out.write(value);
		out.flush();
		return socket.getInputStream().read();
	}

	@Test
	void aCutShouldResetOpenConnectionsAndRefuseNewOnesUntilRestored() throws Exception {
		try (TcpProxy proxy = TcpProxy.start("test", "127.0.0.1", this.upstream.getLocalPort())) {
			Socket open = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
			assertThat(roundTrip(open, 7)).isEqualTo(7);

			proxy.cut();
			assertThat(proxy.isCut()).isTrue();
			InputStream in = open.getInputStream();
			int read;
			try {
				read = in.read();
			}
			catch (IOException reset) {
				read = -1;
			}
			assertThat(read).as("an open connection after the cut").isEqualTo(-1);
			open.close();
			assertRefused(proxy);

			proxy.restore();
			try (Socket again = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
				assertThat(roundTrip(again, 9)).isEqualTo(9);
			}
			assertThat(proxy.accepted()).isEqualTo(2);
		}
	}

	/**
	 * The proxy takes no connection on its cut port. A connect there is refused, except
	 * in two races of the ephemeral port it gave up: Linux may pick it as the connect's
	 * own source port and connect the socket to itself (TCP simultaneous open; a CI run
	 * saw it), or another listener on the machine may bind it meanwhile (another run saw
	 * that). Neither is the proxy, so its count of accepted connections is what decides.
	 */
	private static void assertRefused(TcpProxy proxy) throws IOException, InterruptedException {
		int accepted = proxy.accepted();
		Socket socket;
		try {
			socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
		}
		catch (ConnectException refused) {
			return;
		}
		try (socket) {
			// A proxy that still listened would count the accept on its own thread.
			Thread.sleep(200);
			assertThat(proxy.accepted()).as("connections the cut proxy accepted").isEqualTo(accepted);
		}
	}

}
