package dev.pulse.metrics;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * A scrape rendered one metric family at a time, as it is read: memory holds the snapshot
 * and at most one family's bytes, never the whole exposition, and nothing more than the
 * snapshot when it is transferred into a response ({@link #transferTo}). The text formats
 * and the length-delimited protobuf format are each a sequence of families, so families
 * written one by one make the same body; only OpenMetrics' closing {@code # EOF} line is
 * written once, at the end.
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

	/**
	 * What Spring's resource converter calls: the families are written straight into the
	 * response, family by family, through Tomcat's own buffer, so not even one family's
	 * bytes are held (one family is 10,000 targets' histograms, tens of megabytes at the
	 * default detail). OpenMetrics, whose body must end with one {@code # EOF}, is
	 * written in one call for the same reason.
	 */
	@Override
	public long transferTo(OutputStream out) throws IOException {
		if (this.chunkLength != 0 || this.nextFamily != 0) {
			return super.transferTo(out);
		}
		CountingStream counted = new CountingStream(out);
		if (this.openMetrics) {
			MetricSnapshots all = new MetricSnapshots(this.families.clone());
			close();
			this.writer.write(counted, all);
		}
		else {
			while (this.nextFamily < this.families.length) {
				MetricSnapshot family = this.families[this.nextFamily];
				this.families[this.nextFamily++] = null;
				this.writer.write(counted, MetricSnapshots.of(family));
			}
		}
		this.ended = true;
		return counted.count;
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

	/** Counts what passes, and never closes the response under the writer. */
	private static final class CountingStream extends FilterOutputStream {

		long count;

		CountingStream(OutputStream out) {
			super(out);
		}

		@Override
		public void write(int b) throws IOException {
			this.out.write(b);
			this.count++;
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			this.out.write(bytes, offset, length);
			this.count += length;
		}

		@Override
		public void close() throws IOException {
			flush();
		}

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
