package dev.pulse.metrics;

import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The /proc/net/tcp{,6} parser on fixed kernel text. */
class ProcNetTcpTest {

	static final String TCP = """
			  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
			   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 41001 1 0000000000000000 100 0 0 10 0
			   1: 0100007F:A2C4 0100007F:1F90 01 00000000:00000000 02:000AFB3A 00000000  1000        0 41002 2 0000000000000000 20 4 30 10 -1
			   2: 0100007F:A2C6 0100007F:1F90 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000
			   3: 0A00020F:D41C 5DB8D822:01BB 08 00000000:00000000 00:00000000 00000000  1000        0 41003 1 0000000000000000 20 4 0 10 -1
			""";

	static final String TCP6 = """
			  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
			   0: 0000000000000000FFFF00000100007F:B3A0 0000000000000000FFFF00000100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000        0 42001 1 0000000000000000 20 4 30 10 -1
			   1: 00000000000000000000000001000000:B3A2 00000000000000000000000001000000:0050 02 00000000:00000000 01:00000064 00000000  1000        0 42002 1 0000000000000000 20 4 30 10 -1
			   2: B80D0120000000000000000001000000:C000 B80D0120000000000000000002000000:01BB 04 00000000:00000000 00:00000000 00000000  1000        0 42003 1 0000000000000000 20 4 30 10 -1
			""";

	@Test
	void ipv4ShouldBeLittleEndianWordsWithBigEndianPorts() {
		List<ProcNetTcp.Entry> entries = ProcNetTcp.parse(TCP, ByteOrder.LITTLE_ENDIAN);

		assertThat(entries).containsExactly(new ProcNetTcp.Entry("0.0.0.0:0", TcpState.LISTEN, 41001),
				new ProcNetTcp.Entry("127.0.0.1:8080", TcpState.ESTABLISHED, 41002),
				new ProcNetTcp.Entry("127.0.0.1:8080", TcpState.TIME_WAIT, 0),
				new ProcNetTcp.Entry("34.216.184.93:443", TcpState.CLOSE_WAIT, 41003));
	}

	@Test
	void ipv6ShouldBeFourLittleEndianWordsAndMappedAddressesIpv4() {
		List<ProcNetTcp.Entry> entries = ProcNetTcp.parse(TCP6, ByteOrder.LITTLE_ENDIAN);

		assertThat(entries).containsExactly(new ProcNetTcp.Entry("127.0.0.1:8080", TcpState.ESTABLISHED, 42001),
				new ProcNetTcp.Entry("[0:0:0:0:0:0:0:1]:80", TcpState.SYN_SENT, 42002),
				new ProcNetTcp.Entry("[2001:db8:0:0:0:0:0:2]:443", TcpState.FIN_WAIT1, 42003));
	}

	@Test
	void bigEndianHostsShouldReadWordsInOrder() {
		assertThat(ProcNetTcp.address("7F000001:0050", ByteOrder.BIG_ENDIAN)).isEqualTo("127.0.0.1:80");
	}

	@Test
	void malformedLinesShouldBeSkipped() {
		String text = """
				  sl  local_address rem_address   st
				   0: 0100007F:1F90 0100007F:1F90 0C 00000000:00000000 00:00000000 00000000  1000 0 1 1
				   1: 0100007F:1F90 0100007F 01 00000000:00000000 00:00000000 00000000  1000 0 2 1
				   2: 0100007F:1F90 ZZ00007F:1F90 01 00000000:00000000 00:00000000 00000000  1000 0 3 1
				   3: 0100007F:1F90 0100007F:1F90 01
				""";

		assertThat(ProcNetTcp.parse(text, ByteOrder.LITTLE_ENDIAN)).isEmpty();
	}

	@Test
	void statesShouldMapEveryKernelCode() {
		assertThat(TcpState.of(0x01)).isEqualTo(TcpState.ESTABLISHED);
		assertThat(TcpState.of(0x06)).isEqualTo(TcpState.TIME_WAIT);
		assertThat(TcpState.of(0x0B)).isEqualTo(TcpState.CLOSING);
		assertThat(TcpState.of(0x00)).isNull();
		assertThat(TcpState.of(0x0C)).isNull();
		assertThat(TcpState.FIN_WAIT1.label()).isEqualTo("fin_wait1");
	}

	@Test
	void keysOfIpLiteralsShouldMatchTheParsedForm() {
		assertThat(ProcNetTcp.key("127.0.0.1", 8080)).isEqualTo("127.0.0.1:8080");
		assertThat(ProcNetTcp.key("::1", 80)).isEqualTo("[0:0:0:0:0:0:0:1]:80");
		assertThat(ProcNetTcp.key("0:0:0:0:0:0:0:1", 80)).isEqualTo("[0:0:0:0:0:0:0:1]:80");
		assertThat(ProcNetTcp.key("::ffff:127.0.0.1", 80)).isEqualTo("127.0.0.1:80");
		assertThat(ProcNetTcp.key("example.com", 80)).as("never resolved").isNull();
	}

}
