/**
 * dbrescue: finds the databases in a backup of an old system and restores them into the servers of the new one. {@link io.dbrescue.Engines} lists the engines; the packages below are the engine (scan, plan, run), one package per engine, and the two front ends (cli, gui) that reach the engine only through {@code app}.
 */
package io.dbrescue;
