package dev.pulse.probe;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.ActiveProfiles;

import dev.pulse.support.FaultServer;
import dev.pulse.support.FullBacklog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A target whose server resets or drops every connection must not fill the log: no stack
 * trace per probe, one line per target per state change. Nor may one whose TLS handshake
 * never ends: closing the channel on the deadline fails its pending connect, an error
 * Reactor drops (and by default logs with a stack trace) because the probe is gone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"pulse.targets.resets.url=http://127.0.0.1:${test.reset-port}/health", "pulse.targets.resets.interval=200ms",
		"pulse.targets.resets.timeout=150ms", "pulse.targets.resets.retry.max-attempts=1",
		"pulse.targets.closes.url=http://127.0.0.1:${test.close-port}/health", "pulse.targets.closes.interval=200ms",
		"pulse.targets.closes.timeout=150ms", "pulse.targets.closes.retry.max-attempts=1",
		// A TLS handshake that never ends: the deadline closes a channel still opening.
		"pulse.targets.handshake.url=https://127.0.0.1:${test.hang-port}/health",
		"pulse.targets.handshake.interval=200ms", "pulse.targets.handshake.timeout=150ms",
		"pulse.targets.handshake.retry.max-attempts=1",
		// A TCP connect that never ends (full accept backlog): the same, one step
		// earlier.
		"pulse.targets.connect.url=http://127.0.0.1:${test.backlog-port}/health",
		"pulse.targets.connect.interval=200ms", "pulse.targets.connect.timeout=150ms",
		"pulse.targets.connect.retry.max-attempts=1" })
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class FailureLoggingTest {

	private static final FaultServer resets = FaultServer.start(FaultServer.resetAfterRequest());

	private static final FaultServer closes = FaultServer.start(FaultServer.resetOnAccept());

	private static final FaultServer hangs = FaultServer.start(FaultServer.hangAfterAccept());

	private static final FullBacklog backlog = FullBacklog.start();

	static {
		System.setProperty("test.reset-port", Integer.toString(resets.port()));
		System.setProperty("test.close-port", Integer.toString(closes.port()));
		System.setProperty("test.hang-port", Integer.toString(hangs.port()));
		System.setProperty("test.backlog-port", Integer.toString(backlog.port()));
	}

	@Autowired
	private ResultHistory history;

	@AfterAll
	static void stopServers() {
		resets.close();
		closes.close();
		hangs.close();
		backlog.close();
		System.clearProperty("test.backlog-port");
		System.clearProperty("test.hang-port");
		System.clearProperty("test.reset-port");
		System.clearProperty("test.close-port");
	}

	@Test
	void failingProbesShouldNotLogAStackTraceEach(CapturedOutput output) {
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.history.recent("resets", 100).size() >= 8
					&& this.history.recent("closes", 100).size() >= 8
					&& this.history.recent("handshake", 100).size() >= 8
					&& this.history.recent("connect", 100).size() >= 8);

		String log = output.getAll();
		assertThat(log.lines().filter(line -> line.startsWith("\tat ") || line.contains("Exception:")))
			.as("stack traces in the log")
			.isEmpty();
		assertThat(log.lines().filter(line -> line.contains(" WARN ") && line.contains("resets")).count())
			.as("WARN lines naming the target")
			.isLessThanOrEqualTo(2);
	}

}
