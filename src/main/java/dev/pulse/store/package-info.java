/**
 * Durable registrations: targets registered over the API, kept with Spring's
 * {@code JdbcClient} and Flyway migrations in SQLite (embedded default) or PostgreSQL
 * (production), and loaded into the registry at start-up.
 */
@NullMarked
package dev.pulse.store;

import org.jspecify.annotations.NullMarked;
