package dev.pulse.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.pulse.health.HealthTracker;
import dev.pulse.probe.ProbeIdentity;
import dev.pulse.schedule.ProbeScheduler;
import dev.pulse.store.RegistrationFeed;
import dev.pulse.store.TargetStore;
import dev.pulse.target.TargetRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The cluster's beans, present when the store is PostgreSQL and
 * {@code pulse.cluster.enabled} is not false. With SQLite Pulse runs one replica and says
 * so at start-up; {@code pulse.cluster.enabled=true} with SQLite stops start-up.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterProperties.class)
class ClusterConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(ClusterConfiguration.class);

	@Bean
	ClusterEndpoint clusterEndpoint(ObjectProvider<ClusterCoordinator> coordinator) {
		return new ClusterEndpoint(coordinator.getIfAvailable());
	}

	@Bean
	SmartInitializingSingleton clusterModeReport(Environment environment,
			ObjectProvider<ClusterCoordinator> coordinator) {
		return () -> {
			if (coordinator.getIfAvailable() != null) {
				return;
			}
			if ("true".equalsIgnoreCase(environment.getProperty("pulse.cluster.enabled"))) {
				throw new IllegalStateException("pulse.cluster.enabled=true needs the PostgreSQL store; with "
						+ "SQLite Pulse runs one replica (README, \"Replicas\")");
			}
			logger.info("Running as a single replica: replicas need the PostgreSQL store and "
					+ "pulse.cluster.enabled not false (README, \"Replicas\")");
		};
	}

	@Bean(destroyMethod = "close")
	@Conditional(ClusterEnabled.class)
	ClusterDatabase clusterDatabase(Environment environment, ClusterProperties properties) {
		return ClusterDatabase.open(environment, properties);
	}

	@Bean
	@Conditional(ClusterEnabled.class)
	@DependsOnDatabaseInitialization
	ClusterCoordinator clusterCoordinator(ClusterProperties properties, ClusterDatabase database, RegistrationFeed feed,
			TargetStore store, TargetRegistry registry, HealthTracker health, ProbeScheduler scheduler,
			MeterRegistry meters) {
		LeaseStore leases = new LeaseStore(database.jdbc(), database.transactions(), properties.leaseDuration());
		HealthRows rows = new HealthRows(database.jdbc(), database.transactions(), leases);
		// Registration changes are read through the cluster's own short-timeout pool, so
		// a
		// database outage never stalls the renewals behind a read; writes stay on the
		// store.
		TargetStore changes = new TargetStore(database.dataSource(), database.transactionManager());
		OwnershipGate gate = new OwnershipGate(properties.partitions(),
				properties.onDbLoss() == ClusterProperties.OnDbLoss.CONTINUE);
		return new ClusterCoordinator(properties, memberId(properties), gate, leases, rows, changes, feed, registry,
				health, scheduler, new Doorbell(database.dataSource()), meters);
	}

	@Bean
	@Conditional(IdentifiedProbes.class)
	ProbeIdentity probeIdentity(ClusterProperties properties) {
		return new ProbeIdentity(properties.identifyHeader(), memberId(properties));
	}

	/** The configured member id, else the host name (in Kubernetes, the pod's name). */
	static String memberId(ClusterProperties properties) {
		if (properties.memberId() != null && !properties.memberId().isBlank()) {
			return properties.memberId();
		}
		String host = System.getenv("HOSTNAME");
		if (host != null && !host.isBlank()) {
			return host;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException(
					"No host name to use as the cluster member id; set " + "pulse.cluster.member-id", ex);
		}
	}

	/** PostgreSQL store, and {@code pulse.cluster.enabled} not false. */
	static class ClusterEnabled extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			String url = context.getEnvironment().getProperty("spring.datasource.url", "");
			String enabled = context.getEnvironment().getProperty("pulse.cluster.enabled", "");
			if (!url.startsWith("jdbc:postgresql:")) {
				return ConditionOutcome.noMatch("the store is not PostgreSQL");
			}
			if ("false".equalsIgnoreCase(enabled)) {
				return ConditionOutcome.noMatch("pulse.cluster.enabled is false");
			}
			return ConditionOutcome.match("PostgreSQL store, pulse.cluster.enabled not false");
		}

	}

	/** A cluster member with {@code pulse.cluster.identify-header} set. */
	static class IdentifiedProbes extends ClusterEnabled {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionOutcome cluster = super.getMatchOutcome(context, metadata);
			String header = context.getEnvironment().getProperty("pulse.cluster.identify-header", "");
			if (!cluster.isMatch() || header.isBlank()) {
				return ConditionOutcome.noMatch("no cluster, or no pulse.cluster.identify-header");
			}
			return ConditionOutcome.match("probes carry " + header);
		}

	}

	/**
	 * The cluster's own small pool to the store: its connections time out well inside a
	 * renew deadline, so a database that stops answering is an outage found in seconds,
	 * never a renewal blocked for the store pool's 30 s, and API load never starves it.
	 */
	record ClusterDatabase(HikariDataSource dataSource, DataSourceTransactionManager transactionManager,
			JdbcClient jdbc, TransactionTemplate transactions) implements AutoCloseable {

		static ClusterDatabase open(Environment environment, ClusterProperties properties) {
			Duration budget = properties.renewDeadline().minus(properties.renewInterval());
			long seconds = Math.max(1, budget.toSeconds());
			HikariConfig config = new HikariConfig();
			config.setPoolName("pulse-cluster");
			config.setJdbcUrl(environment.getRequiredProperty("spring.datasource.url"));
			String user = environment.getProperty("spring.datasource.username");
			if (user != null) {
				config.setUsername(user);
				config.setPassword(environment.getProperty("spring.datasource.password"));
			}
			// The doorbell's connection, the cluster thread's, and one spare.
			config.setMaximumPoolSize(3);
			config.setMinimumIdle(1);
			config.setConnectionTimeout(Math.max(250, budget.toMillis() / 2));
			config.setValidationTimeout(Math.max(250, budget.toMillis() / 2));
			config.setInitializationFailTimeout(-1);
			config.addDataSourceProperty("socketTimeout", Long.toString(seconds + 1));
			config.addDataSourceProperty("connectTimeout", Long.toString(seconds));
			config.addDataSourceProperty("tcpKeepAlive", "true");
			config.addDataSourceProperty("ApplicationName", "pulse-cluster");
			HikariDataSource dataSource = new HikariDataSource(config);
			DataSourceTransactionManager transactions = new DataSourceTransactionManager(dataSource);
			JdbcTemplate template = new JdbcTemplate(dataSource);
			template.setQueryTimeout((int) seconds);
			return new ClusterDatabase(dataSource, transactions, JdbcClient.create(template),
					new TransactionTemplate(transactions));
		}

		@Override
		public void close() {
			this.dataSource.close();
		}

	}

}
