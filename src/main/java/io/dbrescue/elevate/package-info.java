/**
 * Root steps for a desktop user: dbrescue runs as the person at the desk, and only the steps of a plan that need
 * root ({@link io.dbrescue.plan.Step#needsRoot()}) are handed, one at a time, to the privileged helper
 * ({@code dbrescue privileged-run}) through pkexec — or, without polkit, through a command the user runs in a
 * terminal. {@link io.dbrescue.elevate.ElevatedExecutor} is the user's side, {@link io.dbrescue.elevate.PrivilegedRun}
 * the root side; they talk over a Unix socket the user's side listens on ({@link io.dbrescue.elevate.HelperLink}).
 */
package io.dbrescue.elevate;
