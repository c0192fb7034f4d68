package dev.pulse.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

import dev.pulse.condition.ConditionResult;
import dev.pulse.condition.Observation;
import dev.pulse.health.HealthProperties;
import dev.pulse.probe.Phases;
import dev.pulse.probe.ProbeResult;
import dev.pulse.routing.RoutingProperties;

/**
 * What the benchmarks feed Pulse: a realistic 4 KB actuator-style health document, the
 * observation and result of one probe, and the production defaults of the properties
 * involved (as documented in README.md), so numbers describe a default deployment.
 */
public final class Fixtures {

	/**
	 * Spring Boot actuator health with details, plus a few domain fields: 4,063 bytes.
	 */
	static final byte[] HEALTH_BODY = """
			{
			  "status": "UP",
			  "name": "checkout-api-7f9c4d-x2k8p",
			  "version": "3.14.2",
			  "components": {
			    "db": {
			      "status": "UP",
			      "details": {
			        "database": "PostgreSQL",
			        "validationQuery": "isValid()",
			        "readOnly": false,
			        "pool": { "name": "HikariPool-1", "active": 3, "idle": 7, "max": 20, "pending": 0 }
			      }
			    },
			    "diskSpace": {
			      "status": "UP",
			      "details": { "total": 107374182400, "free": 64424509440, "threshold": 10485760, "path": "/app/.", "exists": true }
			    },
			    "flyway": {
			      "status": "UP",
			      "details": { "schemaVersion": "42", "pendingMigrations": 0, "lastApplied": "2026-11-20T08:14:55Z" }
			    },
			    "livenessState": { "status": "UP" },
			    "readinessState": { "status": "UP" },
			    "ping": { "status": "UP" },
			    "mail": { "status": "UP", "details": { "location": "smtp.example.com:587" } },
			    "redis": {
			      "status": "UP",
			      "details": { "version": "7.2.4", "mode": "standalone", "connectedClients": 42, "usedMemoryHuman": "118.42M" }
			    },
			    "kafka": {
			      "status": "UP",
			      "details": {
			        "clusterId": "q8Zr1x4bT2ynQ3kHcO5V9w",
			        "brokers": [
			          { "id": 1, "host": "kafka-0.kafka.svc.cluster.local", "port": 9092, "rack": "eu-west-1a" },
			          { "id": 2, "host": "kafka-1.kafka.svc.cluster.local", "port": 9092, "rack": "eu-west-1b" },
			          { "id": 3, "host": "kafka-2.kafka.svc.cluster.local", "port": 9092, "rack": "eu-west-1c" }
			        ]
			      }
			    },
			    "ssl": {
			      "status": "UP",
			      "details": {
			        "validChains": [
			          {
			            "alias": "server",
			            "certificates": [
			              {
			                "subject": "CN=checkout.example.com,O=Example Ltd,C=GB",
			                "issuer": "CN=R11,O=Let's Encrypt,C=US",
			                "serialNumber": "4a3f9e0c51d7b2a86e10f3c9d2b7a5e1",
			                "validityStarts": "2026-09-01T00:00:00Z",
			                "validityEnds": "2026-11-30T23:59:59Z",
			                "validity": { "status": "VALID" }
			              }
			            ]
			          }
			        ],
			        "invalidChains": []
			      }
			    },
			    "discoveryComposite": {
			      "status": "UP",
			      "components": {
			        "discoveryClient": { "status": "UP", "details": { "services": ["checkout-api", "payments", "inventory", "users"] } }
			      }
			    }
			  },
			  "groups": ["liveness", "readiness"],
			  "items": [
			    { "id": 1, "sku": "SKU-000117", "name": "Espresso beans 1 kg", "price": 24.5, "stock": 118, "tags": ["coffee", "beans"] },
			    { "id": 2, "sku": "SKU-000245", "name": "Ceramic pour-over dripper", "price": 31.0, "stock": 12, "tags": ["brewing"] },
			    { "id": 3, "sku": "SKU-000318", "name": "Burr grinder, manual", "price": 79.9, "stock": 7, "tags": ["grinder", "manual"] },
			    { "id": 4, "sku": "SKU-000402", "name": "Paper filters, 100 pack", "price": 4.2, "stock": 640, "tags": ["filters"] },
			    { "id": 5, "sku": "SKU-000519", "name": "Gooseneck kettle 1 l", "price": 54.0, "stock": 23, "tags": ["kettle", "brewing"] },
			    { "id": 6, "sku": "SKU-000633", "name": "Digital scale 0.1 g", "price": 29.99, "stock": 41, "tags": ["scale"] },
			    { "id": 7, "sku": "SKU-000781", "name": "Decaf beans 500 g", "price": 13.75, "stock": 86, "tags": ["coffee", "decaf"] },
			    { "id": 8, "sku": "SKU-000824", "name": "Milk jug, stainless", "price": 17.4, "stock": 55, "tags": ["milk"] },
			    { "id": 9, "sku": "SKU-000907", "name": "Cold brew bottle 1 l", "price": 22.0, "stock": 31, "tags": ["cold-brew"] },
			    { "id": 10, "sku": "SKU-001012", "name": "Tamper 58 mm", "price": 35.5, "stock": 9, "tags": ["espresso", "tools"] },
			    { "id": 11, "sku": "SKU-001146", "name": "Cleaning tablets, 60", "price": 11.9, "stock": 212, "tags": ["cleaning"] },
			    { "id": 12, "sku": "SKU-001230", "name": "Travel mug 350 ml", "price": 19.0, "stock": 74, "tags": ["mug", "travel"] }
			  ],
			  "build": { "artifact": "checkout-api", "group": "com.example", "time": "2026-11-24T16:03:11.482Z" },
			  "git": { "branch": "main", "commit": { "id": "9c1e4b7", "time": "2026-11-24T15:58:02Z" } }
			}
			"""
		.getBytes(StandardCharsets.UTF_8);

	/** Conditions a probe of that document might carry, one of each kind. */
	static final Map<String, String> CONDITIONS = Map.of("status", "[STATUS] == 200", "responseTime",
			"[RESPONSE_TIME] < 300", "bodyField", "[BODY].status == UP", "nestedField",
			"[BODY].components.db.details.database == PostgreSQL", "len", "len([BODY].items) > 3", "has",
			"has([BODY].components.redis) == true", "pat", "[BODY].name == pat(*checkout*)", "any",
			"[BODY].components.db.status == any(UP, UNKNOWN)");

	/** The same conditions in the order a target lists them. */
	static final List<String> CONDITION_ORDER = List.of("status", "responseTime", "bodyField", "nestedField", "len",
			"has", "pat", "any");

	private Fixtures() {
	}

	/**
	 * Keeps set-up chatter (Netty's debug lines, the first state change of each target)
	 * out of JMH's output: without a configuration Logback logs everything at DEBUG.
	 */
	public static void quietLogs() {
		((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
	}

	/** A successful probe's result on a reused keep-alive connection. */
	public static ProbeResult success(Instant timestamp, double durationMs) {
		return new ProbeResult(timestamp, true, 200, durationMs,
				new Phases(0.02, null, null, null, durationMs - 0.1, 0.08), true, false, "127.0.0.1",
				HEALTH_BODY.length, null, null,
				List.of(new ConditionResult("[STATUS] == 200", true, "[STATUS] == 200")), 1);
	}

	/** pulse.health.* defaults. */
	public static HealthProperties healthDefaults() {
		return new HealthProperties(2, 3, Duration.ofSeconds(1), Duration.ofSeconds(60), Duration.ofSeconds(1), 0.2, 20,
				0.3, 50);
	}

	/** pulse.routing.* defaults. */
	public static RoutingProperties routingDefaults() {
		return new RoutingProperties(Duration.ofMillis(200), 0, 1.0, 50,
				new RoutingProperties.SlowStart(10, Duration.ofSeconds(30)), Map.of());
	}

	/**
	 * What a probe observed, as conditions read it: built once per probe around the body
	 * it read.
	 */
	record ProbeObservation(@Nullable Integer status, Duration responseTime,
			byte @Nullable [] body) implements Observation {

	}

}
