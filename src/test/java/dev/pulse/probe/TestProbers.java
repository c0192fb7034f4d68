package dev.pulse.probe;

import dev.pulse.transport.ProbeTransport;

/** Gives tests in other packages the real HTTP prober. */
public final class TestProbers {

	private TestProbers() {
	}

	public static Prober http(ProbeTransport transport) {
		return new HttpProber(transport);
	}

	/** Brings the package-private retry-on validator into a test context. */
	@org.springframework.context.annotation.Import(RetryReasonValidator.class)
	public static class RetryReasonValidatorConfiguration {

	}

}
