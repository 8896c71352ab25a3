package io.dbrescue.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.event.KeyValuePair;

/**
 * Collects the commands of a run into its debug bundle: an appender that takes the {@link CommandRecord} each
 * {@link CommandLog} event carries (already redacted). Attached by {@link LogSetup#collectCommands} for
 * {@code --save-debug-log}; the next {@link LogSetup#configureRun} detaches it.
 */
final class CommandCollector extends AppenderBase<ILoggingEvent> {
    static final String NAME = "debug-bundle";
    private final DebugBundle bundle;

    CommandCollector(DebugBundle bundle) {
        this.bundle = bundle;
        setName(NAME);
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (event.getKeyValuePairs() == null) {
            return;
        }
        for (KeyValuePair kv : event.getKeyValuePairs()) {
            if (CommandLog.RECORD.equals(kv.key) && kv.value instanceof CommandRecord r) {
                bundle.recordCommand(r);
            }
        }
    }
}
