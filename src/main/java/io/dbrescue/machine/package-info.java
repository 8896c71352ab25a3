/**
 * The machine being restored onto: which servers it has installed and running ({@link io.dbrescue.machine.TargetDiscovery}, asking each engine's {@link io.dbrescue.machine.ServerDiscovery}), the {@link io.dbrescue.machine.Target} with the user's options applied, free disk space, ports, and which distribution package provides a missing program.
 */
package io.dbrescue.machine;
