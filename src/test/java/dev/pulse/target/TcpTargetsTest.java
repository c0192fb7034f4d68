package dev.pulse.target;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pulse.support.TestTargets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code tcp://} targets: their URL, their settings, their escapes and their defaults.
 */
class TcpTargetsTest {

	@Test
	void aTcpTargetConnectsByDefaultAndDecodesItsPayload() {
		Target target = TestTargets.target("tcp://127.0.0.1:7000").tcp("PING\\x01\\r\\n", "\\x02", 16).build();
		assertThat(target.isTcp()).isTrue();
		assertThat(target.conditions()).extracting(condition -> condition.text())
			.containsExactly("[CONNECTED] == true");
		assertThat(target.tcp().send()).isEqualTo(new byte[] { 'P', 'I', 'N', 'G', 1, '\r', '\n' });
		assertThat(target.tcp().expect().pattern()).isEqualTo("\\x02");
		assertThat(target.tcp().readBytes()).isEqualTo(16);
		assertThat(TestTargets.target("tcp://127.0.0.1:7000").build().tcp().readBytes()).isEqualTo(4096);
	}

	@Test
	void equalSettingsMakeEqualTargets() {
		assertThat(TestTargets.target("tcp://127.0.0.1:7000").tcp("\\x01", "\\x02", null).build())
			.isEqualTo(TestTargets.target("tcp://127.0.0.1:7000").tcp("\\x01", "\\x02", null).build());
	}

	@Test
	void everyBrokenRuleIsNamedWithItsKey() {
		assertThatThrownBy(() -> TestTargets.target("tcp://127.0.0.1:7000/path")
			.body("x")
			.header("A", "b")
			.tcp("\\q", "(", 0)
			.build())
			.isInstanceOfSatisfying(InvalidTargetException.class,
					ex -> assertThat(ex.violations()).extracting(InvalidTargetException.Violation::field)
						.containsExactlyInAnyOrder("pulse.targets.t.url", "pulse.targets.t.body",
								"pulse.targets.t.headers", "pulse.targets.t.tcp.send", "pulse.targets.t.tcp.expect",
								"pulse.targets.t.tcp.read-bytes"));
		assertThatThrownBy(() -> TestTargets.target("tcp://127.0.0.1").build())
			.hasMessageContaining("must be tcp://host:port, with a port and no path");
		assertThatThrownBy(() -> TestTargets.target("http://127.0.0.1/").tcp("\\x01", null, null).build())
			.hasMessageContaining("tcp settings apply to tcp:// and tls:// targets only");
		assertThatThrownBy(() -> TestTargets.target("ftp://127.0.0.1:21").build())
			.hasMessageContaining("must be an http, https, tcp, tls, grpc or grpcs URL");
	}

	@Test
	void theSchemeChoosesTheKind() {
		assertThat(TestTargets.target("http://127.0.0.1/").build().kind()).isEqualTo(Target.Kind.HTTP);
		assertThat(TestTargets.target("HTTPS://127.0.0.1/").build().kind()).isEqualTo(Target.Kind.HTTP);
		assertThat(TestTargets.target("tcp://127.0.0.1:1").build().kind()).isEqualTo(Target.Kind.TCP);
		assertThat(TestTargets.target("tls://127.0.0.1:1").build().kind()).isEqualTo(Target.Kind.TLS);
		assertThat(TestTargets.target("grpc://127.0.0.1:1").build().kind()).isEqualTo(Target.Kind.GRPC);
		assertThat(TestTargets.target("grpcs://127.0.0.1:1/orders.v1.Orders").build().kind())
			.isEqualTo(Target.Kind.GRPC);
		assertThat(TestTargets.target("grpcs://127.0.0.1:1").build().secure()).isTrue();
		assertThat(TestTargets.target("grpc://127.0.0.1:1").build().secure()).isFalse();
	}

	@Test
	void tlsAndGrpcTargetsConnectByDefaultAndRefuseWhatDoesNotApply() {
		Target tls = TestTargets.target("tls://127.0.0.1:6443").tcp("PING\\r\\n", "PONG", null).build();
		assertThat(tls.conditions()).extracting(condition -> condition.text()).containsExactly("[CONNECTED] == true");
		assertThat(tls.tcp().send()).isEqualTo("PING\r\n".getBytes(StandardCharsets.US_ASCII));
		assertThat(TestTargets.target("grpc://127.0.0.1:50051").build().conditions())
			.extracting(condition -> condition.text())
			.containsExactly("[CONNECTED] == true");
		assertThatThrownBy(() -> TestTargets.target("tls://127.0.0.1").build())
			.hasMessageContaining("must be tls://host:port, with a port and no path");
		assertThatThrownBy(() -> TestTargets.target("grpc://127.0.0.1").build())
			.hasMessageContaining("must be grpc://host:port or grpc://host:port/service.Name, with a port");
		assertThatThrownBy(() -> TestTargets.target("grpc://127.0.0.1:50051/not-a.service").build())
			.hasMessageContaining("grpc://host:port/service.Name");
		assertThatThrownBy(() -> TestTargets.target("grpc://127.0.0.1:50051").tcp("\\x01", null, null).build())
			.hasMessageContaining("tcp settings apply to tcp:// and tls:// targets only");
		assertThatThrownBy(() -> TestTargets.target("grpc://127.0.0.1:50051").header("A", "b").build())
			.hasMessageContaining("a grpc:// target has no headers");
		assertThatThrownBy(() -> TestTargets.target("tls://127.0.0.1:6443")
			.heartbeat("persistent")
			.tcp("\\x01", "\\x02", null)
			.build()).hasMessageContaining("heartbeat: persistent needs a tcp:// URL");
	}

	@Test
	void escapesCoverEveryByte() {
		for (int b = 0; b < 256; b++) {
			assertThat(TcpPayloads.decode(String.format("\\x%02x", b))).containsExactly((byte) b);
		}
		assertThat(TcpPayloads.decode("a\\n\\r\\t\\0\\\\é")).isEqualTo(concat("a\n\r\t\0\\", "é"));
		for (String bad : List.of("\\", "\\x", "\\x1", "\\xg0", "\\u0041")) {
			assertThatThrownBy(() -> TcpPayloads.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
		}
	}

	private static byte[] concat(String ascii, String utf8) {
		byte[] a = ascii.getBytes(StandardCharsets.US_ASCII);
		byte[] b = utf8.getBytes(StandardCharsets.UTF_8);
		byte[] all = new byte[a.length + b.length];
		System.arraycopy(a, 0, all, 0, a.length);
		System.arraycopy(b, 0, all, a.length, b.length);
		return all;
	}

}
