package org.openigc.certdc.connection;

import org.openigc.ca.Environment;

/** The two transfer modes of seed 000; each takes certificates of one OpenIGC environment. */
public enum TransferMode {
    /** Bac à sable: tests, with TEST certificates; never shown to doctors as real data. */
    SANDBOX(Environment.TEST),
    PRODUCTION(Environment.PRODUCTION);

    private final Environment environment;

    TransferMode(Environment environment) {
        this.environment = environment;
    }

    public Environment certificateEnvironment() {
        return environment;
    }
}
