/**
 * recovery.conf: the typed, validated settings the engine and the command line read, where each
 * value remembers where it came from, and the XDG folders dbrescue keeps its files in.
 */
package io.dbrescue.settings;
