package dev.pulse.cluster;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import dev.pulse.health.HealthSummary;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code target_health} rows: the health summary of every target as its owner
 * published it, versioned per partition. A publication bumps its partition's high-water
 * mark in {@code partition_lease} (fenced by the epoch) and writes its rows with the new
 * versions in the same transaction, so the lease row's lock orders every publication of a
 * partition, and a reader that saw a high-water mark sees every row up to it.
 */
class HealthRows {

	private final JdbcClient jdbc;

	private final TransactionTemplate transactions;

	private final LeaseStore leases;

	// Lenient on unknown fields: in a rolling upgrade an older replica reads a newer
	// one's rows.
	private final JsonMapper mapper = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	HealthRows(JdbcClient jdbc, TransactionTemplate transactions, LeaseStore leases) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.leases = leases;
	}

	/**
	 * Publish summaries of one partition's targets, if this incarnation still holds it at
	 * this epoch.
	 * @return false when fenced: the partition moved on and nothing was written
	 */
	boolean publish(String member, UUID incarnation, int partition, long epoch, List<Published> rows) {
		if (rows.isEmpty()) {
			return true;
		}
		Boolean written = this.transactions.execute(status -> {
			long hw = this.leases.bump(member, incarnation, partition, epoch, rows.size());
			if (hw < 0) {
				return false;
			}
			long version = hw - rows.size();
			for (Published row : rows) {
				version++;
				this.jdbc
					.sql("INSERT INTO target_health (name, p, version, epoch, summary, updated_at)"
							+ " VALUES (:name, :p, :version, :epoch, :summary, now()) ON CONFLICT (name) DO UPDATE"
							+ " SET p = excluded.p, version = excluded.version, epoch = excluded.epoch,"
							+ " summary = excluded.summary, updated_at = excluded.updated_at")
					.param("name", row.name())
					.param("p", partition)
					.param("version", version)
					.param("epoch", epoch)
					.param("summary", this.mapper.writeValueAsString(row.summary()))
					.update();
			}
			this.leases.ring("h");
			return true;
		});
		return Boolean.TRUE.equals(written);
	}

	/**
	 * The rows of the given partitions above each one's cursor.
	 * @param partitions partition numbers
	 * @param after for each partition, the version already read
	 */
	List<Row> since(int[] partitions, long[] after) {
		if (partitions.length == 0) {
			return List.of();
		}
		return this.jdbc.sql("SELECT h.name, h.p, h.version, h.summary FROM target_health h"
				+ " JOIN unnest(CAST(:ps AS int[]), CAST(:vs AS bigint[])) AS c(p, v) ON h.p = c.p AND h.version > c.v")
			.param("ps", LeaseStore.array(IntStream.of(partitions).asLongStream()))
			.param("vs", LeaseStore.array(LongStream.of(after)))
			.query(this::row)
			.list();
	}

	/** The rows of the named targets, for a new owner to go on from. */
	List<Row> of(List<String> names) {
		if (names.isEmpty()) {
			return List.of();
		}
		List<Row> rows = new ArrayList<>();
		for (int from = 0; from < names.size(); from += 1000) {
			List<String> batch = names.subList(from, Math.min(names.size(), from + 1000));
			rows.addAll(this.jdbc.sql("SELECT name, p, version, summary FROM target_health WHERE name IN (:names)")
				.param("names", batch)
				.query(this::row)
				.list());
		}
		return rows;
	}

	private @Nullable HealthSummary read(String json) {
		try {
			return this.mapper.readValue(json, HealthSummary.class);
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private Row row(ResultSet row, int number) throws SQLException {
		return new Row(row.getString("name"), row.getInt("p"), row.getLong("version"), read(row.getString("summary")));
	}

	/** A summary to publish. */
	record Published(String name, HealthSummary summary) {
	}

	/**
	 * A stored summary; {@code summary} is null when it does not read (a corrupt row).
	 */
	record Row(String name, int partition, long version, @Nullable HealthSummary summary) {
	}

}
