package dev.pulse.metrics;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The TCP states of the Linux kernel as {@code /proc/net/tcp} codes them ({@code 01} to
 * {@code 0B}), with the lower-case label metrics use, such as {@code time_wait}.
 */
public enum TcpState {

	ESTABLISHED(0x01), SYN_SENT(0x02), SYN_RECV(0x03), FIN_WAIT1(0x04), FIN_WAIT2(0x05), TIME_WAIT(0x06), CLOSE(0x07),
	CLOSE_WAIT(0x08), LAST_ACK(0x09), LISTEN(0x0A), CLOSING(0x0B);

	private static final TcpState[] BY_CODE = new TcpState[0x0C];

	static {
		for (TcpState state : values()) {
			BY_CODE[state.code] = state;
		}
	}

	private final int code;

	TcpState(int code) {
		this.code = code;
	}

	/** The kernel's code. */
	public int code() {
		return this.code;
	}

	/** The label value, such as {@code close_wait}. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Whether a socket that connected out (as every probe socket does) can be in this
	 * state; LISTEN and SYN_RECV belong to servers only.
	 */
	public boolean clientSide() {
		return this != LISTEN && this != SYN_RECV;
	}

	/** The state of a kernel code, or null for an unknown code. */
	public static @Nullable TcpState of(int code) {
		return (code > 0 && code < BY_CODE.length) ? BY_CODE[code] : null;
	}

}
