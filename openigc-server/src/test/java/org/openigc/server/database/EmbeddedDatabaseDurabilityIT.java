package org.openigc.server.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The embedded PostgreSQL is durable, unlike the library's test-database defaults (fsync and synchronous_commit off). */
class EmbeddedDatabaseDurabilityIT extends ServerTestSupport {
    @Autowired
    JdbcClient jdbc;

    @Test
    void everyCommitReachesTheDisk() {
        assertThat(setting("fsync")).isEqualTo("on");
        assertThat(setting("synchronous_commit")).isEqualTo("on");
    }

    private String setting(String name) {
        return jdbc.sql("select current_setting(:name)").param("name", name).query(String.class).single();
    }
}
