package io.dbrescue.postgres.scan;

import java.io.IOException;

/** A pg_dump archive holds a value that no pg_dump writes: the file is garbled (not merely cut short). */
final class PgArchiveException extends IOException {
    PgArchiveException(String message) {
        super(message);
    }
}
