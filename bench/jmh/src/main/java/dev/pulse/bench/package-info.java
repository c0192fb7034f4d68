/**
 * JMH micro-benchmarks of the per-probe hot path: conditions, health, history, metrics.
 * Compiled and run only with the {@code jmh} profile ({@code bench/jmh.sh}); the
 * scheduler's benchmark lives in its package, whose types are package-private.
 */
@NullMarked
package dev.pulse.bench;

import org.jspecify.annotations.NullMarked;
