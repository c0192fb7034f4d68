package dev.pulse.discovery;

import java.util.HashSet;
import java.util.Set;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import dev.pulse.target.TargetResolver;

import static org.assertj.core.api.Assertions.assertThat;

/** Discovered names are {@code <service>-<pod>}, valid, stable and apart when cut. */
class TargetNamesTest {

	@Test
	void aPodsNameIsTheServiceAndThePod() {
		assertThat(TargetNames.of("checkout", "checkout-7d9f8b-x2k4q", null))
			.isEqualTo("checkout-checkout-7d9f8b-x2k4q");
		assertThat(TargetNames.of("checkout", "checkout-0", "metrics")).isEqualTo("checkout-checkout-0-metrics");
	}

	@Test
	void anAddressWithoutAPodIsSpelledSafely() {
		assertThat(TargetNames.of("db", "10.0.3.7", null)).isEqualTo("db-10.0.3.7");
		assertThat(TargetNames.of("db", "fd00::1:7", null)).isEqualTo("db-fd00--1-7");
	}

	@Test
	void aLongNameIsCutToTheRuleAndKeepsAHash() {
		String service = "a-service-name-that-is-quite-long-indeed";
		String a = TargetNames.of(service, "deployment-with-a-long-name-5f7c9d8b6-abcde", null);
		String b = TargetNames.of(service, "deployment-with-a-long-name-5f7c9d8b6-abcdf", null);
		assertThat(a).hasSize(63).matches(TargetResolver.NAME).isNotEqualTo(b);
		assertThat(a).isEqualTo(TargetNames.of(service, "deployment-with-a-long-name-5f7c9d8b6-abcde", null));
	}

	@Property(tries = 300)
	void everyNameIsValid(@ForAll("services") String service, @ForAll @StringLength(min = 1, max = 253) String pod) {
		assertThat(TargetNames.of(service, pod.toLowerCase(java.util.Locale.ROOT), null)).matches(TargetResolver.NAME);
	}

	@net.jqwik.api.Provide
	net.jqwik.api.Arbitrary<String> services() {
		return net.jqwik.api.Arbitraries.strings()
			.withChars("abcdefghijklmnopqrstuvwxyz0123456789-")
			.ofMinLength(1)
			.ofMaxLength(63)
			.filter(name -> Character.isLetter(name.charAt(0)));
	}

	@Test
	void distinctLongPodsGetDistinctNames() {
		Set<String> names = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			names.add(TargetNames.of("service", "a-pod-with-a-name-long-enough-to-be-cut-by-the-rule-" + i, null));
		}
		assertThat(names).hasSize(1000);
	}

}
