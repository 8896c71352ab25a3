/**
 * What dbrescue records about a run for the person who has to debug it: the log of every external
 * command ({@link io.dbrescue.logging.CommandLog}), the JSON bundle of {@code --save-debug-log}
 * ({@link io.dbrescue.logging.DebugBundle}), and the redaction that keeps passwords out of both
 * and out of every log line ({@link io.dbrescue.logging.Redactor}).
 */
package io.dbrescue.logging;
