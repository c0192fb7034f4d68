package dev.pulse.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The default deny list, allow overriding deny, and the reasons given. */
class SsrfPolicyTest {

	private final SsrfPolicy defaults = new SsrfPolicy(SsrfProperties.defaults());

	private static InetAddress address(String literal) {
		return IpLiterals.toAddress(IpLiterals.parse(literal).getAddress());
	}

	@ParameterizedTest(name = "{0}: {1}")
	@CsvSource(delimiter = '|',
			textBlock = """
					127.0.0.1                    | address 127.0.0.1 is in a denied range (127.0.0.0/8)
					[::1]                        | address ::1 is in a denied range (::1/128)
					169.254.169.254              | address 169.254.169.254 is in a denied range (169.254.0.0/16)
					[::ffff:169.254.169.254]     | address 169.254.169.254 (written [::ffff:169.254.169.254]) is in a denied range (169.254.0.0/16)
					2130706433                   | address 127.0.0.1 (written 2130706433) is in a denied range (127.0.0.0/8)
					0x7f000001                   | address 127.0.0.1 (written 0x7f000001) is in a denied range (127.0.0.0/8)
					0177.0.0.1                   | address 127.0.0.1 (written 0177.0.0.1) is in a denied range (127.0.0.0/8)
					127.1                        | address 127.0.0.1 (written 127.1) is in a denied range (127.0.0.0/8)
					0x7f.1                       | address 127.0.0.1 (written 0x7f.1) is in a denied range (127.0.0.0/8)
					127.0.0.09                   | address 127.0.0.9 (written 127.0.0.09) is in a denied range (127.0.0.0/8)
					168.063.129.016              | address 168.63.129.16 (written 168.063.129.016) is in a denied range (168.63.129.16/32)
					0                            | address 0.0.0.0 (written 0) is in a denied range (0.0.0.0/8)
					[::]                         | address :: is in a denied range (::/128)
					[::127.0.0.1]                | address 127.0.0.1 (written [::127.0.0.1]) is in a denied range (127.0.0.0/8)
					[64:ff9b::a9fe:a9fe]         | address 169.254.169.254 (written [64:ff9b::a9fe:a9fe]) is in a denied range (169.254.0.0/16)
					[fe80::1%25eth0]             | address fe80::1 (written [fe80::1%25eth0]) is in a denied range (fe80::/10)
					[ff02::1]                    | address ff02::1 is in a denied range (ff00::/8)
					224.0.0.251                  | address 224.0.0.251 is in a denied range (224.0.0.0/4)
					239.255.255.250              | address 239.255.255.250 is in a denied range (224.0.0.0/4)
					240.0.0.1                    | address 240.0.0.1 is in a denied range (240.0.0.0/4)
					255.255.255.255              | address 255.255.255.255 is in a denied range (255.255.255.255/32)
					100.100.100.200              | address 100.100.100.200 is in a denied range (100.100.100.200/32)
					192.0.0.192                  | address 192.0.0.192 is in a denied range (192.0.0.192/32)
					168.63.129.16                | address 168.63.129.16 is in a denied range (168.63.129.16/32)
					[fd00:ec2::254]              | address fd00:ec2::254 is in a denied range (fd00:ec2::254/128)
					[fd00:ec2::23]               | address fd00:ec2::23 is in a denied range (fd00:ec2::23/128)
					[fd20:ce::254]               | address fd20:ce::254 is in a denied range (fd20:ce::254/128)
					[fd00:42::42]                | address fd00:42::42 is in a denied range (fd00:42::42/128)
					""")
	void defaultsShouldDenyEverySpellingOfADeniedAddress(String host, String reason) {
		assertThat(this.defaults.checkHost(host)).contains(reason);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "10.0.0.5", "172.16.0.1", "192.168.1.10", "[fd00:ec2::253]", "[fc00::1]", "100.64.0.1",
			"203.0.113.9", "[2001:db8::1]", "[::ffff:10.0.0.5]", "167772165", "localhost", "metadata.google.internal",
			"example.com" })
	void defaultsShouldAllowPrivateRangesPublicAddressesAndNames(String host) {
		assertThat(this.defaults.checkHost(host)).isEmpty();
	}

	@Test
	void permitsShouldNormalizeResolvedAddresses() throws UnknownHostException {
		byte[] mapped = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 169, (byte) 254, (byte) 169,
				(byte) 254 };

		assertThat(this.defaults.permits(address("127.0.0.1"))).isFalse();
		assertThat(this.defaults.permits(address("10.0.0.5"))).isTrue();
		assertThat(this.defaults.permits(InetAddress.getByAddress(mapped))).isFalse();
		assertThat(this.defaults.denial(address("::7f00:1")))
			.contains("address 127.0.0.1 is in a denied range (127.0.0.0/8)");
		assertThat(this.defaults.denial(InetAddress.getByAddress("named", new byte[] { 10, 0, 0, 5 }))).isEmpty();
	}

	@Test
	void allowShouldOverrideDeny() {
		SsrfPolicy policy = new SsrfPolicy(new SsrfProperties(null, List.of("127.0.0.1/32", "169.254.169.0/24")));

		assertThat(policy.checkHost("127.0.0.1")).isEmpty();
		assertThat(policy.checkHost("2130706433")).isEmpty();
		assertThat(policy.checkHost("[::ffff:127.0.0.1]")).isEmpty();
		assertThat(policy.checkHost("169.254.169.254")).isEmpty();
		assertThat(policy.checkHost("127.0.0.2")).contains("address 127.0.0.2 is in a denied range (127.0.0.0/8)");
		assertThat(policy.checkHost("169.254.170.2"))
			.contains("address 169.254.170.2 is in a denied range (169.254.0.0/16)");
		assertThat(policy.checkHost("[::1]")).contains("address ::1 is in a denied range (::1/128)");
	}

	@Test
	void customDenyShouldReplaceTheDefaultsAndNameTheNarrowestRange() {
		SsrfPolicy policy = new SsrfPolicy(new SsrfProperties(List.of("10.0.0.0/8", "10.1.0.0/16"), null));

		assertThat(policy.checkHost("10.1.2.3")).contains("address 10.1.2.3 is in a denied range (10.1.0.0/16)");
		assertThat(policy.checkHost("10.2.0.1")).contains("address 10.2.0.1 is in a denied range (10.0.0.0/8)");
		assertThat(policy.checkHost("127.0.0.1")).isEmpty();
	}

	@Test
	void emptyDenyShouldAllowEverything() {
		SsrfPolicy policy = new SsrfPolicy(new SsrfProperties(List.of(), null));

		assertThat(policy.checkHost("127.0.0.1")).isEmpty();
		assertThat(policy.checkHost("169.254.169.254")).isEmpty();
	}

}
