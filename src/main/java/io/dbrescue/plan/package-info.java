/**
 * Plans as data: the recovery request, the strategies, pre-flight checks and the steps each engine's planner lists; {@link io.dbrescue.plan.BackupGuard} keeps every write out of the backup.
 */
package io.dbrescue.plan;
