/**
 * PostgreSQL: recognises data directories and dumps in every format, reads the catalog and control file without a server, plans direct copies, dump restores, pg_upgrade and moves through a container running the old version, carries configuration and logins, and verifies rows afterwards.
 */
package io.dbrescue.postgres;
