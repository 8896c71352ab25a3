/**
 * PostgreSQL's entry points for the engine: what it contributes to a scan ({@link io.dbrescue.postgres.PostgresScanning},
 * the detectors in {@link io.dbrescue.postgres.scan}), which strategy a finding gets ({@link io.dbrescue.postgres.PostgresPlanner})
 * and the executors of its step kinds ({@link io.dbrescue.postgres.PostgresRecovery}, the plans and steps in
 * {@link io.dbrescue.postgres.restore}), and how its servers are found on this machine
 * ({@link io.dbrescue.postgres.PostgresDiscovery}, {@link io.dbrescue.postgres.PgLocalServer}).
 */
package io.dbrescue.postgres;
