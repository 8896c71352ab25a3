/**
 * The wizard: one window that walks Source → Scan → Target → Strategy → Pre-flight → Preview → Run
 * → Summary. Each step is a view (controls only) and a view-model (properties and rules, tested
 * with plain JUnit) over the shared {@link io.dbrescue.gui.WizardModel}; {@link io.dbrescue.gui.Wizard}
 * wires them by hand. The engine is reached only through {@link io.dbrescue.gui.RecoveryService},
 * and all background work goes through {@link io.dbrescue.gui.Jobs} ({@link io.dbrescue.gui.FxJobs}:
 * a {@code javafx.concurrent.Service} per job, with updates coalesced so the FX thread stays free).
 */
package io.dbrescue.gui;
