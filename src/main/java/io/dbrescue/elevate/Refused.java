package io.dbrescue.elevate;

/** The privileged helper will not run a step; the message says why and what to do, in one line for the user. */
public final class Refused extends Exception {
    public Refused(String message) {
        super(message);
    }
}
