package dev.pulse.target;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Secrets in user-info and in query parameters never show. */
class UrlRedactionTest {

	@Test
	void userInfoShouldBeHidden() {
		assertThat(UrlRedaction.redact("http://user:pw@127.0.0.1:8080/health"))
			.isEqualTo("http://******@127.0.0.1:8080/health");
	}

	@Test
	void secretQueryValuesShouldBeHiddenWhateverTheirSpelling() {
		assertThat(UrlRedaction.redact(URI.create(
				"https://127.0.0.1/health?token=abc&apiKey=k1&API_KEY=k2&x-amz-signature=s&access_token=t&password=p&verbose=1&t=2")))
			.isEqualTo(
					"https://127.0.0.1/health?token=******&apiKey=******&API_KEY=******&x-amz-signature=******&access_token=******&password=******&verbose=1&t=2");
	}

	@Test
	void userInfoAndQueryAndFragmentTogether() {
		assertThat(UrlRedaction.redact("http://u:p@127.0.0.1/h?secret=s&a=b#frag"))
			.isEqualTo("http://******@127.0.0.1/h?secret=******&a=b#frag");
	}

	@Test
	void aUrlWithoutSecretsShouldBeUnchanged() {
		for (String url : new String[] { "http://127.0.0.1/health", "http://127.0.0.1/h?a=1&b=&c",
				"http://[::1]:80/" }) {
			assertThat(UrlRedaction.redact(url)).isEqualTo(url);
		}
	}

	@Test
	void textThatIsNotAUriShouldStillHideItsSecrets() {
		assertThat(UrlRedaction.redact("http://u:p@bad host/?token=abc def"))
			.isEqualTo("http://******@bad host/?token=******");
	}

	@Test
	void anEncodedParameterNameShouldStillBeRecognised() {
		assertThat(UrlRedaction.redact("http://127.0.0.1/?api%5Fkey=x"))
			.isEqualTo("http://127.0.0.1/?api%5Fkey=******");
	}

}
