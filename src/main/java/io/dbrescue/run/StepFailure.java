package io.dbrescue.run;

/**
 * A step failed for a reason a user can act on: {@code getMessage()} says what happened, {@link #fix()}
 * what to do. {@code kind} groups failures for history and metrics ("auth", "disk-full", "port-in-use"...).
 */
public class StepFailure extends Exception {
    private final String fix;
    private final String kind;

    public StepFailure(String kind, String message, String fix) {
        super(message);
        this.kind = kind;
        this.fix = fix;
    }

    public StepFailure(String kind, String message, String fix, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.fix = fix;
    }

    public String fix() {
        return fix;
    }

    public String kind() {
        return kind;
    }
}
