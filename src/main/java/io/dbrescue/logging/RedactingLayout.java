package io.dbrescue.logging;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;

/** A pattern layout whose output (message and stack trace) goes through the {@link Redactor} before any appender sees it. */
public final class RedactingLayout extends LayoutBase<ILoggingEvent> {
    private final PatternLayout inner = new PatternLayout();
    private final Redactor redactor;

    public RedactingLayout(String pattern, Redactor redactor) {
        inner.setPattern(pattern);
        this.redactor = redactor;
    }

    @Override
    public void start() {
        inner.setContext(getContext());
        inner.start();
        super.start();
    }

    @Override
    public void stop() {
        inner.stop();
        super.stop();
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        return redactor.redact(inner.doLayout(event));
    }
}
