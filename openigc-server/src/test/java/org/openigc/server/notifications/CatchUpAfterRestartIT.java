package org.openigc.server.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openigc.server.mail.demo.DemoMailServer;
import org.openigc.server.mail.demo.ReceivedMail;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.config.CronTask;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;

/**
 * Issue 6, "with an injected Clock": the calendar of one certificate driven only by the platform's own scheduler (no
 * explicit scan call) and an injected clock that the test moves, across a real shutdown and restart of the
 * application on the same PostgreSQL. The 60-day notice is sent while the first run is up; the platform is then down
 * while the 30- and 7-day thresholds pass; the second run's start-up scan catches up with exactly one mail (the most
 * urgent, 7 days; 30 recorded skipped); the day of expiry is sent by the second run's periodic scan. The mails are
 * counted at a real SMTP server (GreenMail). The scan interval is the one set by
 * {@code openigc.notifications.scan-interval}.
 */
class CatchUpAfterRestartIT {
    private static final Instant END = Instant.parse("2012-09-01T10:00:00Z");
    private static final String ACTOR = "rattrapage@chu-demo.fr";
    private static final String CC = "rattrapage-cc@chu-demo.fr";

    /** The injected clock of both runs, moved by the test. */
    static final class MovableClock extends Clock {
        static final AtomicReference<Instant> NOW = new AtomicReference<>(END.minus(Duration.ofDays(90)));

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return NOW.get();
        }
    }

    /** Not a @Configuration (component scanning must not find it): a source of the application runs only. */
    static class InjectedClock {
        @Bean
        @Primary
        Clock injectedClock() {
            return new MovableClock();
        }
    }

    @TempDir
    static Path dataDir;

    private static EmbeddedPostgres postgres;
    private static DemoMailServer smtp;
    private static ConfigurableApplicationContext running;

    private static ConfigurableApplicationContext start(Path passwordFile) {
        return StandaloneNode.start(InjectedClock.class, dataDir, passwordFile, postgres, smtp, Map.of(
                "openigc.notifications.thresholds", "60d,30d,7d,0d",
                "openigc.notifications.initial-delay", "300ms",
                "openigc.notifications.scan-interval", "250ms"));
    }

    @BeforeAll
    static void startDatabaseAndMailServer() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        smtp = new DemoMailServer(0);
        smtp.start();
    }

    @AfterAll
    static void stopEverything() throws IOException {
        if (running != null) {
            running.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static List<ReceivedMail> expiryMails() {
        return smtp.received().stream().filter(m -> m.isFor(ACTOR))
                .filter(m -> m.subject().startsWith("Certificat à renouveler") || m.subject().startsWith("Certificat expiré"))
                .toList();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static List<String> outcomes(JdbcClient jdbc, UUID id) {
        return jdbc.sql("select threshold_days || ':' || outcome from expiry_notice where certificate_id = :id order by threshold_days desc")
                .param("id", id).query(String.class).list();
    }

    /** The scheduled task of the expiry scan in this run, as Spring registered it from the properties. */
    private static FixedDelayTask scanTask(ConfigurableApplicationContext context) {
        List<String> seen = new ArrayList<>();
        for (ScheduledTaskHolder holder : context.getBeansOfType(ScheduledTaskHolder.class).values()) {
            for (ScheduledTask task : holder.getScheduledTasks()) {
                seen.add(task.toString());
                if (task.toString().contains("ExpiryNotifier.scheduledScan") && task.getTask() instanceof FixedDelayTask delay) {
                    return delay;
                }
            }
        }
        throw new AssertionError("no scheduled expiry scan among " + seen);
    }

    private static CronTask digestTask(ConfigurableApplicationContext context) {
        for (ScheduledTaskHolder holder : context.getBeansOfType(ScheduledTaskHolder.class).values()) {
            for (ScheduledTask task : holder.getScheduledTasks()) {
                if (task.toString().contains("ExpiryNotifier.scheduledDigests") && task.getTask() instanceof CronTask cron) {
                    return cron;
                }
            }
        }
        throw new AssertionError("no scheduled digest");
    }

    @Test
    void theSchedulerSendsTheCalendarAndCatchesUpOnceAfterADowntimeAcrossTwoThresholds() throws Exception {
        Path passwordFile = Files.writeString(dataDir.resolve("ca-password"), UUID.randomUUID().toString());
        running = start(passwordFile);
        FixedDelayTask task = scanTask(running);
        assertThat(task.getIntervalDuration()).as("openigc.notifications.scan-interval").isEqualTo(Duration.ofMillis(250));
        assertThat(task.getInitialDelayDuration()).as("openigc.notifications.initial-delay").isEqualTo(Duration.ofMillis(300));
        // the per-user digest: one mail a day, at openigc.notifications.digest-cron (default 07:00 Europe/Paris)
        assertThat(digestTask(running).getExpression()).isEqualTo("0 0 7 * * *");

        JdbcClient jdbc = running.getBean(JdbcClient.class);
        UUID structure = UUID.randomUUID();
        jdbc.sql("""
                insert into structure (id, kind, id_nat_struct, finess, name, departement, region, sector)
                values (:id, 'EJ', '1T98000001', 'T98000001', 'RATTRAPAGE', '75', '11', 'HOSPITAL')
                """).param("id", structure).update();
        String ca = jdbc.sql("select name from ca_certificate order by name limit 1").query(String.class).single();
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into certificate (id, serial_number, ca_name, profile, environment, status, subject, not_before,
                    not_after, public_key_sha256, structure_id, offer, usage, service_applicatif, actor_email, cc_email)
                values (:id, 'ca7c40', :ca, 'ORG_AUTH_CLI', 'PRODUCTION', 'ACTIVE', 'CN=RATTRAPAGE', :nb, :na,
                        'catch-up-key', :structure, 'ORG', 'AUTH_CLI', 'RATTRAPAGE DMP', :actor, :cc)
                """).param("id", id).param("ca", ca).param("nb", Timestamp.from(END.minus(Duration.ofDays(1095))))
                .param("na", Timestamp.from(END)).param("structure", structure).param("actor", ACTOR).param("cc", CC)
                .update();

        // 90 days before the end: the scheduler scans and sends nothing
        Thread.sleep(1500);
        assertThat(expiryMails()).isEmpty();
        assertThat(outcomes(jdbc, id)).isEmpty();

        // 60 days before: the next scheduled scan sends the 60-day notice, once
        MovableClock.NOW.set(END.minus(Duration.ofDays(60)));
        await("the 60-day notice", () -> expiryMails().size() == 1);
        Thread.sleep(1500); // several more scans
        assertThat(expiryMails()).hasSize(1);
        assertThat(expiryMails().getFirst().text()).contains("dans 60 jour(s)", "RATTRAPAGE DMP", "ca7c40",
                "RATTRAPAGE (1T98000001)", "01/09/2012 12:00", "/app/certificates/");
        assertThat(expiryMails().getFirst().cc()).contains(CC);
        assertThat(outcomes(jdbc, id)).containsExactly("60:SENT");

        // shutdown; the 30- and 7-day thresholds pass while the platform is down
        running.close();
        running = null;
        MovableClock.NOW.set(END.minus(Duration.ofDays(5)));
        Thread.sleep(500);
        assertThat(expiryMails()).hasSize(1);

        // restart on the same database: the start-up scan catches up with one mail, the most urgent
        running = start(passwordFile);
        jdbc = running.getBean(JdbcClient.class);
        await("the catch-up notice", () -> expiryMails().size() == 2);
        Thread.sleep(1500);
        assertThat(expiryMails()).hasSize(2);
        // (the SMTP server lists newest first: look the mails up by content)
        assertThat(expiryMails()).filteredOn(m -> m.text().contains("dans 5 jour(s)")).hasSize(1);
        assertThat(outcomes(jdbc, id)).containsExactly("60:SENT", "30:SKIPPED", "7:SENT");

        // the day of expiry, then a day later: one more mail, then nothing
        MovableClock.NOW.set(END);
        await("the notice of the day of expiry", () -> expiryMails().size() == 3);
        MovableClock.NOW.set(END.plus(Duration.ofDays(1)));
        Thread.sleep(1500);
        List<ReceivedMail> mails = expiryMails();
        assertThat(mails).hasSize(3);
        assertThat(mails).filteredOn(m -> m.subject().startsWith("Certificat expiré")).hasSize(1);
        assertThat(outcomes(jdbc, id)).containsExactly("60:SENT", "30:SKIPPED", "7:SENT", "0:SENT");
        assertThat(jdbc.sql("select count(*) from mail_outbox where template = 'certificate-expiry'").query(Long.class).single())
                .isEqualTo(3);
    }
}
