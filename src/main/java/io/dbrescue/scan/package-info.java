/**
 * Finding databases in a backup: the tree walk ({@link io.dbrescue.scan.Scanner}), the finding model
 * and the detector interfaces each engine package implements. No JavaFX here.
 */
package io.dbrescue.scan;
