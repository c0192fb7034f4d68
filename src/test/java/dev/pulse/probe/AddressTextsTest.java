package dev.pulse.probe;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AddressTextsTest {

	@Test
	void equalAddressesShouldShareOneTextInTheJdkForm() throws Exception {
		InetAddress first = InetAddress.getByName("127.0.0.3");
		InetAddress second = InetAddress.getByAddress(new byte[] { 127, 0, 0, 3 });
		String text = AddressTexts.of(first);
		assertThat(text).isEqualTo("127.0.0.3");
		assertThat(AddressTexts.of(second)).isSameAs(text);
		InetAddress v6 = InetAddress.getByName("::1");
		assertThat(AddressTexts.of(v6)).isEqualTo(v6.getHostAddress());
	}

	@Test
	void manyDistinctAddressesShouldStillAnswerTheirOwnText() throws Exception {
		for (int i = 0; i < 10_000; i++) {
			InetAddress address = InetAddress
				.getByAddress(new byte[] { 10, (byte) (i >> 16), (byte) (i >> 8), (byte) i });
			assertThat(AddressTexts.of(address)).isEqualTo(address.getHostAddress());
		}
	}

}
