/** The record of every recovery (history.jsonl in the state folder) and what it adds up to per engine. */
package io.dbrescue.history;
