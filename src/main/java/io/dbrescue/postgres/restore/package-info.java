/**
 * PostgreSQL restoring: the plans for each strategy (direct copy, dump restore, the old server in a container,
 * pg_upgrade), the step kinds they use and their executors, the old configuration and logins carried to the new
 * cluster, collations and extensions brought up to date, and the verification afterwards. Reads what
 * {@link io.dbrescue.postgres.scan} found.
 */
package io.dbrescue.postgres.restore;
