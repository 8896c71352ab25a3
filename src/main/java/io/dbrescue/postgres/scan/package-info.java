/**
 * PostgreSQL scanning: recognises data directories (PG_VERSION, pg_control) and dumps in every format (custom,
 * directory, tar archives and plain SQL, their headers and tables of contents), and reads what restoring needs to
 * know from the files alone, without a server: the catalog's roles, databases, locales and extensions, and the old
 * system's C library and ICU. Only reads the backup.
 */
package io.dbrescue.postgres.scan;
