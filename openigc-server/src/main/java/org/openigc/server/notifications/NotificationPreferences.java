package org.openigc.server.notifications;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Per-user notification choices: one daily digest instead of one mail per certificate. */
@Service
public class NotificationPreferences {
    private final JdbcClient jdbc;
    private final Clock clock;

    NotificationPreferences(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    public boolean digest(UUID personId) {
        return jdbc.sql("select digest from notification_preference where person_id = :person")
                .param("person", personId).query(Boolean.class).optional().orElse(false);
    }

    @Transactional
    public void setDigest(UUID personId, boolean digest) {
        jdbc.sql("""
                insert into notification_preference (person_id, digest, updated_at) values (:person, :digest, :now)
                on conflict (person_id) do update set digest = excluded.digest, updated_at = excluded.updated_at
                """).param("person", personId).param("digest", digest)
                .param("now", Timestamp.from(clock.instant())).update();
    }
}
