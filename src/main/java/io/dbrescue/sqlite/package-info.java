/**
 * SQLite: finds database files by their header, copies them (with their journal or WAL) into the chosen folder behind a safety copy, and checks them with the integrity check.
 */
package io.dbrescue.sqlite;
