package dev.pulse.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** CIDR ranges: strict parsing, matching on bytes, and the edges of each range. */
class CidrTest {

	private static boolean contains(String range, String address) {
		return Cidr.parse(range).contains(IpLiterals.parse(address).getAddress());
	}

	@ParameterizedTest(name = "{0} holds {1}: {2}")
	@CsvSource(delimiter = '|', textBlock = """
			127.0.0.0/8          | 126.255.255.255      | false
			127.0.0.0/8          | 127.0.0.0            | true
			127.0.0.0/8          | 127.255.255.255      | true
			127.0.0.0/8          | 128.0.0.0            | false
			169.254.0.0/16       | 169.253.255.255      | false
			169.254.0.0/16       | 169.254.169.254      | true
			169.254.0.0/16       | 169.255.0.0          | false
			172.16.0.0/12        | 172.15.255.255       | false
			172.16.0.0/12        | 172.31.255.255       | true
			172.16.0.0/12        | 172.32.0.0           | false
			10.0.0.0/31          | 10.0.0.1             | true
			10.0.0.0/31          | 10.0.0.2             | false
			255.255.255.255/32   | 255.255.255.255      | true
			255.255.255.255/32   | 255.255.255.254      | false
			0.0.0.0/0            | 203.0.113.9          | true
			0.0.0.0/0            | ::1                  | false
			::/0                 | 203.0.113.9          | false
			::1/128              | ::1                  | true
			::1/128              | ::2                  | false
			::1/128              | 127.0.0.1            | false
			fe80::/10            | fe7f:ffff::          | false
			fe80::/10            | fe80::               | true
			fe80::/10            | febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff | true
			fe80::/10            | fec0::               | false
			fc00::/7             | fbff::1              | false
			fc00::/7             | fdff::1              | true
			fc00::/7             | fe00::               | false
			fd00:ec2::254/128    | fd00:ec2::254        | true
			fd00:ec2::254/128    | fd00:ec2::253        | false
			127.0.0.0/8          | ::ffff:127.0.0.1     | true
			::ffff:10.0.0.0/104  | 10.255.0.1           | true
			::ffff:10.0.0.0/104  | ::ffff:10.1.2.3      | true
			::ffff:10.0.0.0/104  | 11.0.0.0             | false
			192.0.0.192          | 192.0.0.192          | true
			192.0.0.192          | 192.0.0.193          | false
			fd20:ce::254         | fd20:ce::254         | true
			""")
	void rangeShouldHoldExactlyItsAddresses(String range, String address, boolean expected) {
		assertThat(contains(range, address)).isEqualTo(expected);
	}

	@ParameterizedTest(name = "{0} is {1}")
	@CsvSource(delimiter = '|', textBlock = """
			127.0.0.0/8              | 127.0.0.0/8
			FE80::/10                | fe80::/10
			fe80:0:0:0:0:0:0:0/10    | fe80::/10
			::ffff:169.254.0.0/112   | 169.254.0.0/16
			::ffff:0:0/96            | 0.0.0.0/0
			10.0.0.7                 | 10.0.0.7/32
			::1                      | ::1/128
			0.0.0.0/0                | 0.0.0.0/0
			""")
	void rangeShouldPrintCanonically(String text, String expected) {
		assertThat(Cidr.parse(text)).hasToString(expected);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', quoteCharacter = '"',
			textBlock = """
					10.0.0.0/33       | prefix length 33 exceeds 32
					::/129            | prefix length 129 exceeds 128
					10.0.0.0/         | prefix length '' is not a number
					10.0.0.0/-1       | prefix length '-1' is not a number
					10.0.0.0/8a       | prefix length '8a' is not a number
					10.0.0.1/8        | host bits are set; the range is 10.0.0.0/8
					fe80::1/10        | host bits are set; the range is fe80::/10
					10.0.0/8          | '10.0.0' is not an IPv4 address (four decimal parts without leading zeros) or an IPv6 address
					010.0.0.0/8       | '010.0.0.0' is not an IPv4 address (four decimal parts without leading zeros) or an IPv6 address
					0x0a.0.0.0/8      | '0x0a.0.0.0' is not an IPv4 address (four decimal parts without leading zeros) or an IPv6 address
					localhost         | 'localhost' is not an IPv4 address (four decimal parts without leading zeros) or an IPv6 address
					[::1]/128         | '[::1]' is not an IPv4 address (four decimal parts without leading zeros) or an IPv6 address
					""")
	void invalidRangeShouldSayWhy(String text, String message) {
		assertThatIllegalArgumentException().isThrownBy(() -> Cidr.parse(text)).withMessage(message);
	}

	@Test
	void rangesShouldBeEqualByValue() {
		assertThat(Cidr.parse("::ffff:10.0.0.0/104")).isEqualTo(Cidr.parse("10.0.0.0/8"))
			.hasSameHashCodeAs(Cidr.parse("10.0.0.0/8"));
		assertThat(Cidr.parse("10.0.0.0/8")).isNotEqualTo(Cidr.parse("10.0.0.0/9"));
	}

}
