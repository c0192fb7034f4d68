package dev.pulse.condition;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JsonBodiesTest {

	@Test
	void sameBodyArrayShouldBeDecodedOnlyOnce() {
		byte[] body = "{\"a\": [1, 2]}".getBytes(StandardCharsets.UTF_8);

		assertThat(JsonBodies.parse(body)).isSameAs(JsonBodies.parse(body));
	}

	@Test
	void equalContentInAnotherArrayShouldBeDecodedOnItsOwn() {
		byte[] first = "{\"a\": 1}".getBytes(StandardCharsets.UTF_8);
		byte[] second = first.clone();

		assertThat(JsonBodies.parse(first)).isNotSameAs(JsonBodies.parse(second)).isEqualTo(JsonBodies.parse(second));
	}

	@Test
	void conditionsOnOneObservationShouldShareOneDecodedBody() {
		FakeResponse response = FakeResponse.response().body("{\"a\": 1, \"b\": [1, 2, 3]}");
		ParsedJson before = JsonBodies.parse(response.body());

		assertThat(Condition.parse("[BODY].a == 1").evaluate(response).success()).isTrue();
		assertThat(Condition.parse("len([BODY].b) == 3").evaluate(response).success()).isTrue();
		assertThat(JsonBodies.parse(response.body())).isSameAs(before);
	}

}
