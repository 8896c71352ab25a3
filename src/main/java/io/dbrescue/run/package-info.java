/**
 * Runs a plan: the {@link io.dbrescue.run.Runner} executes steps with a journal so a run can resume, undoes finished steps on failure or cancel, and reports byte-weighted progress; {@link io.dbrescue.run.Exec} is the one road to external programs and servers.
 */
package io.dbrescue.run;
