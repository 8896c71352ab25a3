/**
 * Redis (and Valkey): reads RDB and AOF files without a server (versions, keys per database, damage), plans a restore into the target's data folder or a new one, and verifies key counts afterwards.
 */
package io.dbrescue.redis;
