/**
 * The application service: the one road from a front end (the command line in {@code io.dbrescue.cli}, the
 * window in {@code io.dbrescue.gui}) into the engine. {@link io.dbrescue.app.RescueService} builds the request
 * from the settings and the user's choices ({@link io.dbrescue.app.RequestBuilder}), plans
 * ({@code Recovery}), runs and resumes with the journal, the metrics endpoint and the history attached to every
 * run ({@code RunObservers}), and verifies ({@link io.dbrescue.app.Verification}). Settings and passwords are
 * handed to it where dbrescue starts and handed down from it; nothing here is static state.
 */
package io.dbrescue.app;
