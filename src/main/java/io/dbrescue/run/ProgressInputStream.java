package io.dbrescue.run;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reports the bytes read through it as the current step's progress (e.g. a dump file fed to a client). */
public final class ProgressInputStream extends FilterInputStream {
    private final StepContext ctx;
    private long total;

    public ProgressInputStream(InputStream in, StepContext ctx) {
        super(in);
        this.ctx = ctx;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            ctx.progress(++total);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            total += n;
            ctx.progress(total);
        }
        return n;
    }
}
