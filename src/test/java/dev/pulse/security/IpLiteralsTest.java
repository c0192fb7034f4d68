package dev.pulse.security;

import java.net.InetAddress;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every spelling of an IP literal a URL host can carry is read, without DNS, as the
 * address a connection would go to; host names are not literals.
 */
class IpLiteralsTest {

	@ParameterizedTest(name = "{0} is {1}")
	@CsvSource(delimiter = '|', textBlock = """
			127.0.0.1                     | 127.0.0.1
			127.0.0.1.                    | 127.0.0.1
			2130706433                    | 127.0.0.1
			0x7f000001                    | 127.0.0.1
			0X7F000001                    | 127.0.0.1
			017700000001                  | 127.0.0.1
			0177.0.0.1                    | 127.0.0.1
			0177.0000.0.01                | 127.0.0.1
			127.1                         | 127.0.0.1
			127.0.1                       | 127.0.0.1
			0x7f.1                        | 127.0.0.1
			0x7f.0.0.0x1                  | 127.0.0.1
			0                             | 0.0.0.0
			0x                            | 0.0.0.0
			169.254.43518                 | 169.254.169.254
			2852039166                    | 169.254.169.254
			0xa9.0xfe.0xa9.0xfe           | 169.254.169.254
			0251.0376.0251.0376           | 169.254.169.254
			10.0.0.5                      | 10.0.0.5
			255.255.255.255               | 255.255.255.255
			4294967295                    | 255.255.255.255
			1.16777215                    | 1.255.255.255
			[::1]                         | ::1
			::1                           | ::1
			[::]                          | ::
			[0:0:0:0:0:0:0:1]             | ::1
			[fe80::1%25eth0]              | fe80::1
			[fe80::1%eth0]                | fe80::1
			fe80::1%1                     | fe80::1
			[FD00:EC2::254]               | fd00:ec2::254
			[2001:db8:0:0:1:0:0:1]        | 2001:db8::1:0:0:1
			[::ffff:127.0.0.1]            | 127.0.0.1
			[::ffff:7f00:1]               | 127.0.0.1
			[::FFFF:169.254.169.254]      | 169.254.169.254
			[0:0:0:0:0:ffff:a9fe:a9fe]    | 169.254.169.254
			[::ffff:0:127.0.0.1]          | 127.0.0.1
			[::127.0.0.1]                 | 127.0.0.1
			[::7f00:1]                    | 127.0.0.1
			[::10.0.0.5]                  | 10.0.0.5
			[64:ff9b::127.0.0.1]          | 127.0.0.1
			[64:ff9b::a9fe:a9fe]          | 169.254.169.254
			[64:ff9b::a00:5]              | 10.0.0.5
			""")
	void literalShouldReadAsTheAddressItConnectsTo(String host, String expected) {
		InetAddress address = IpLiterals.parse(host);

		assertThat(address).isNotNull();
		assertThat(Cidr.format(address.getAddress())).isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "localhost", "example.com", "metadata.google.internal", "0x7f.example", "1.2.3.4.5",
			"256.0.0.1", "1.256.0.1", "1.2.65536", "4294967296", "08.0.0.1", "0x1g", "1..2", ".", "", "[::1",
			"[1::2::3]", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "[12345::1]", "[::ffff:0177.0.0.1]", "[::ffff:1.2.3]",
			"[1.2.3.4::]", "[::g]", "-1" })
	void nonLiteralShouldBeNoAddress(String host) {
		assertThat(IpLiterals.parse(host)).isNull();
	}

	@ParameterizedTest(name = "{0} stays {1}")
	@CsvSource(delimiter = '|', textBlock = """
			::             | ::
			::1            | ::1
			::ffff:0:0     | 0.0.0.0
			::2            | 0.0.0.2
			64:ff9b:1::1   | 64:ff9b:1::1
			2002:7f00:1::  | 2002:7f00:1::
			""")
	void normalizationShouldUnwrapIpv4ButKeepUnspecifiedLoopbackAndOtherPrefixes(String host, String expected) {
		InetAddress address = IpLiterals.parse(host);

		assertThat(address).isNotNull();
		assertThat(Cidr.format(address.getAddress())).isEqualTo(expected);
	}

}
