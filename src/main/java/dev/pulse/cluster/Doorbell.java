package dev.pulse.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's {@code LISTEN pulse} on a connection of its own: a doorbell, not a queue.
 * A notification carries one letter (l leases moved, t a registration changed, h a health
 * summary was published) and only says "read now"; what to read is always read from the
 * tables, and the cluster polls them anyway, so a notification lost with a dropped
 * connection costs at most a poll interval. A reconnect rings every bell once, for what
 * may have been missed meanwhile.
 */
class Doorbell {

	private static final Logger logger = LoggerFactory.getLogger(Doorbell.class);

	private static final int WAIT_MILLIS = 500;

	private final DataSource dataSource;

	private volatile boolean running;

	private volatile @Nullable Thread thread;

	Doorbell(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	void start(Consumer<Character> ring) {
		this.running = true;
		Thread listener = new Thread(() -> listen(ring), "pulse-cluster-doorbell");
		listener.setDaemon(true);
		this.thread = listener;
		listener.start();
	}

	void stop() {
		this.running = false;
		Thread listener = this.thread;
		if (listener != null) {
			listener.interrupt();
		}
	}

	private void listen(Consumer<Character> ring) {
		boolean first = true;
		while (this.running) {
			try (Connection connection = this.dataSource.getConnection()) {
				try (Statement statement = connection.createStatement()) {
					statement.execute("LISTEN pulse");
				}
				if (!connection.getAutoCommit()) {
					connection.commit();
				}
				if (!first) {
					ring.accept('*');
				}
				first = false;
				PGConnection pg = connection.unwrap(PGConnection.class);
				while (this.running) {
					PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
					if (notifications != null) {
						for (PGNotification notification : notifications) {
							String what = notification.getParameter();
							ring.accept(what.isEmpty() ? '*' : what.charAt(0));
						}
					}
				}
			}
			catch (SQLException | RuntimeException ex) {
				if (!this.running) {
					return;
				}
				logger.debug("Doorbell connection lost ({}); reconnecting", ex.getMessage());
				try {
					Thread.sleep(1000);
				}
				catch (InterruptedException interrupted) {
					return;
				}
			}
		}
	}

}
