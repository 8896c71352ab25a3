/**
 * Prometheus metrics of a recovery: {@link io.dbrescue.metrics.Metrics} holds the values the engine
 * updates, {@link io.dbrescue.metrics.MetricsServer} serves them on 127.0.0.1 only, with the JDK's
 * own HTTP server.
 */
package io.dbrescue.metrics;
