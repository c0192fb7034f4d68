package dev.pulse.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * A scrape rendered one metric family at a time, as it is read: memory holds the snapshot
 * and one family's bytes, never the whole exposition. The text formats and the
 * length-delimited protobuf format are each a sequence of families, so families written
 * one by one make the same body; only OpenMetrics' closing {@code # EOF} line is written
 * once, at the end.
 */
final class FamilyByFamilyStream extends InputStream {

	private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

	private final MetricSnapshot[] families;

	private final ExpositionFormatWriter writer;

	private final boolean openMetrics;

	private final Buffer buffer = new Buffer();

	private int nextFamily;

	private byte[] chunk = new byte[0];

	private int chunkLength;

	private int position;

	private boolean ended;

	FamilyByFamilyStream(MetricSnapshots snapshots, ExpositionFormatWriter writer) {
		// Our own array, so a family written can be let go while the rest is sent.
		this.families = snapshots.stream().toArray(MetricSnapshot[]::new);
		this.writer = writer;
		this.openMetrics = writer instanceof OpenMetricsTextFormatWriter;
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
	}

	@Override
	public int read(byte[] target, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		while (this.position == this.chunkLength) {
			if (!nextChunk()) {
				return -1;
			}
		}
		int count = Math.min(length, this.chunkLength - this.position);
		System.arraycopy(this.chunk, this.position, target, offset, count);
		this.position += count;
		return count;
	}

	private boolean nextChunk() throws IOException {
		this.position = 0;
		if (this.nextFamily < this.families.length) {
			MetricSnapshot family = this.families[this.nextFamily];
			this.families[this.nextFamily++] = null;
			this.buffer.reset();
			this.writer.write(this.buffer, MetricSnapshots.of(family));
			this.chunk = this.buffer.bytes();
			this.chunkLength = this.buffer.size() - (this.openMetrics ? endsWithEof(this.buffer) : 0);
			return true;
		}
		if (this.openMetrics && !this.ended) {
			this.ended = true;
			this.chunk = EOF;
			this.chunkLength = EOF.length;
			return true;
		}
		return false;
	}

	private static int endsWithEof(Buffer buffer) {
		byte[] bytes = buffer.bytes();
		int size = buffer.size();
		return (size >= EOF.length && Arrays.equals(bytes, size - EOF.length, size, EOF, 0, EOF.length)) ? EOF.length
				: 0;
	}

	@Override
	public void close() {
		Arrays.fill(this.families, null);
		this.nextFamily = this.families.length;
		this.ended = true;
	}

	/** A byte array output stream whose array is read in place, not copied. */
	private static final class Buffer extends ByteArrayOutputStream {

		Buffer() {
			super(64 * 1024);
		}

		byte[] bytes() {
			return this.buf;
		}

	}

}
