package io.dbrescue.target;

import java.util.List;

/** Placeholder until discovery lands: finds nothing (every value comes from the options). */
public final class TargetDiscovery {
    public Target discover() {
        return new Target(List.of(), null, "root".equals(System.getProperty("user.name")));
    }
}
