package dev.pulse.metrics;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The socket table over a fake /proc: ownership by fd inode, TIME_WAIT, caching. */
class SocketTableTest {

	@TempDir
	Path proc;

	private final AtomicLong clock = new AtomicLong();

	private SocketTable table() throws Exception {
		Files.createDirectories(this.proc.resolve("net"));
		Files.createDirectories(this.proc.resolve("self/fd"));
		Files.writeString(this.proc.resolve("net/tcp"), ProcNetTcpTest.TCP);
		Files.writeString(this.proc.resolve("net/tcp6"), ProcNetTcpTest.TCP6);
		// Pulse owns 41002 (IPv4, established) and 42001 (IPv6-mapped, established), not
		// 41003.
		Files.createSymbolicLink(this.proc.resolve("self/fd/7"), Path.of("socket:[41002]"));
		Files.createSymbolicLink(this.proc.resolve("self/fd/8"), Path.of("socket:[42001]"));
		Files.createSymbolicLink(this.proc.resolve("self/fd/9"), Path.of("pipe:[41003]"));
		return new SocketTable(this.proc, 5_000, this.clock::get);
	}

	@Test
	void ownSocketsAndTimeWaitShouldBeCountedByRemoteAddress() throws Exception {
		assumeThat(ByteOrder.nativeOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
		SocketTable table = table();

		assertThat(table.available()).isTrue();
		assertThat(table.sockets("127.0.0.1:8080")).isEqualTo(Map.of(TcpState.ESTABLISHED, 2, TcpState.TIME_WAIT, 1));
		assertThat(table.sockets("34.216.184.93:443")).as("not Pulse's: its inode has no fd").isEmpty();
		assertThat(table.sockets("0.0.0.0:0")).isEmpty();
		assertThat(table.count("127.0.0.1:8080", TcpState.CLOSE_WAIT)).isZero();
	}

	@Test
	void theTableShouldBeReadAtMostOncePerRefreshInterval() throws Exception {
		assumeThat(ByteOrder.nativeOrder()).isEqualTo(ByteOrder.LITTLE_ENDIAN);
		SocketTable table = table();
		assertThat(table.count("127.0.0.1:8080", TcpState.ESTABLISHED)).isEqualTo(2);

		Files.delete(this.proc.resolve("self/fd/8"));
		this.clock.set(4_999);
		assertThat(table.count("127.0.0.1:8080", TcpState.ESTABLISHED)).as("cached").isEqualTo(2);
		this.clock.set(5_000);
		assertThat(table.count("127.0.0.1:8080", TcpState.ESTABLISHED)).as("refreshed").isEqualTo(1);
	}

	@Test
	void withoutProcNetTcpTheTableShouldBeUnavailableAndEmpty() {
		SocketTable table = new SocketTable(this.proc.resolve("missing"), 5_000, this.clock::get);

		assertThat(table.available()).isFalse();
		assertThat(table.sockets("127.0.0.1:8080")).isEmpty();
	}

}
