/**
 * The command line: parses options (picocli), calls the application service in {@code io.dbrescue.app} and prints plans, progress and results; {@link io.dbrescue.cli.Main} is the program's entry point for both front ends.
 */
package io.dbrescue.cli;
