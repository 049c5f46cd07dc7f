package org.openigc.server.demo;

import org.openigc.server.config.OpenIgcProperties;
import org.openigc.server.database.EmbeddedDatabaseConfiguration.EmbeddedDatabaseMarker;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Whether demo mode is on (SPEC §6): on by default with the embedded database only. Templates read it as
 * {@code ${@demoMode.enabled()}} for the banner; other features (demo mails…) ask it before exposing anything.
 */
@Component("demoMode")
public class DemoMode {
    private final boolean enabled;

    public DemoMode(OpenIgcProperties properties, ObjectProvider<EmbeddedDatabaseMarker> embedded) {
        this.enabled = properties.demoEnabled(embedded.getIfAvailable() != null);
    }

    public boolean enabled() {
        return enabled;
    }
}
