/**
 * MySQL and MariaDB: recognises data directories and dumps, plans direct copies, dump restores, in-place upgrades and moves through a container running the old server, carries accounts, grants and settings, and verifies rows and checksums.
 */
package io.dbrescue.mysql;
