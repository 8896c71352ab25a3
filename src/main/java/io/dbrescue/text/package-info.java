/**
 * Text for people, shared by the command line, the window and the engine's messages: byte counts
 * ({@link io.dbrescue.text.Sizes}) and commands shown as a terminal would take them
 * ({@link io.dbrescue.text.Shell}). Depends on nothing else in dbrescue.
 */
package io.dbrescue.text;
