package org.openigc.server.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

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

/**
 * Two platform nodes on one PostgreSQL: two full Spring Boot applications (their own web servers, schedulers,
 * outbox senders) started in this JVM on the same JDBC URL, both with the same injected clock, scanning every 200 ms
 * and sweeping the outbox every 200 ms at the same time. Every due expiry notice must reach the SMTP server (a real
 * GreenMail) exactly once, recorded once, queued once.
 */
class TwoNodesExactlyOnceIT {
    private static final int CERTIFICATES = 200;
    /** The injected "now" of both nodes: 59 days before the first end of validity, so the 60-day notice is due. */
    private static final Instant END = Instant.parse("2011-03-01T10:00:00Z");
    private static final Instant NOW = END.minus(Duration.ofDays(59));

    @TempDir
    static Path dataDir;

    private static EmbeddedPostgres postgres;
    private static DemoMailServer smtp;
    private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();

    /** Not a @Configuration (component scanning must not find it): a source of the two nodes only. */
    static class InjectedClock {
        @Bean
        @Primary
        Clock injectedClock() {
            return Clock.fixed(NOW, ZoneOffset.UTC);
        }
    }

    private static ConfigurableApplicationContext node(String name, Path passwordFile) {
        return StandaloneNode.start(InjectedClock.class, dataDir, passwordFile, postgres, smtp, Map.of(
                "spring.application.name", "openigc-" + name,
                "openigc.notifications.initial-delay", "200ms",
                "openigc.notifications.scan-interval", "200ms"));
    }

    @BeforeAll
    static void startDatabaseAndMailServer() throws IOException {
        postgres = EmbeddedPostgres.builder().setServerConfig("max_connections", "100").start();
        smtp = new DemoMailServer(0);
        smtp.start();
    }

    @AfterAll
    static void stopEverything() throws IOException {
        for (ConfigurableApplicationContext node : nodes) {
            node.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private static List<ReceivedMail> expiryMailsTo(String address) {
        return smtp.received().stream().filter(m -> m.isFor(address))
                .filter(m -> m.subject().startsWith("Certificat à renouveler")).toList();
    }

    @Test
    void twoNodesOnOneDatabaseMailEachDueNoticeExactlyOnce() throws Exception {
        Path passwordFile = Files.writeString(dataDir.resolve("ca-password"), UUID.randomUUID().toString());
        // the first node creates the schema and the CAs; the second starts on them, as a second server would
        nodes.add(node("node-a", passwordFile));
        JdbcClient jdbc = nodes.getFirst().getBean(JdbcClient.class);
        UUID structure = UUID.randomUUID();
        jdbc.sql("""
                insert into structure (id, kind, id_nat_struct, finess, name, departement, region, sector)
                values (:id, 'EJ', '1T99000001', 'T99000001', 'DEUX NOEUDS', '75', '11', 'HOSPITAL')
                """).param("id", structure).update();
        String ca = jdbc.sql("select name from ca_certificate order by name limit 1").query(String.class).single();
        nodes.add(node("node-b", passwordFile));
        assertThat(nodes.get(1).getBean(Clock.class).instant()).isEqualTo(NOW);
        // both nodes up, their schedulers scanning every 200 ms: the certificates due for their 60-day notice at NOW
        // appear at once (one statement), so both nodes' scans and senders race for them
        jdbc.sql("""
                insert into certificate (id, serial_number, ca_name, profile, environment, status, subject, not_before,
                    not_after, public_key_sha256, structure_id, offer, usage, service_applicatif, actor_email)
                select gen_random_uuid(), 'd0' || to_hex(i), :ca, 'ORG_AUTH_CLI', 'PRODUCTION', 'ACTIVE', 'CN=x',
                       :nb, cast(:end as timestamptz) + i * interval '1 minute', 'two-nodes-' || i, :structure, 'ORG', 'AUTH_CLI',
                       'DEUX NOEUDS ' || i, 'deux-noeuds-' || i || '@chu-demo.fr'
                from generate_series(0, cast(:n as int) - 1) i
                """).param("ca", ca).param("nb", Timestamp.from(END.minus(Duration.ofDays(1095))))
                .param("end", Timestamp.from(END)).param("structure", structure).param("n", CERTIFICATES).update();
        List<String> actors = new ArrayList<>();
        for (int i = 0; i < CERTIFICATES; i++) {
            actors.add("deux-noeuds-" + i + "@chu-demo.fr");
        }

        // besides their own schedulers, both nodes are made to scan and sweep at the same moment, several times
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (ConfigurableApplicationContext node : nodes) {
                ExpiryNotifier notifier = node.getBean(ExpiryNotifier.class);
                calls.add(() -> {
                    int sent = 0;
                    for (int round = 0; round < 5; round++) {
                        sent += notifier.scan(node.getBean(Clock.class).instant());
                    }
                    return sent;
                });
            }
            List<Integer> sentByNode = new ArrayList<>();
            for (Future<Integer> done : pool.invokeAll(calls, 120, TimeUnit.SECONDS)) {
                sentByNode.add(done.get());
            }
            // informative: how the explicit concurrent scans shared the work (the schedulers took the rest)
            System.out.println("TWO NODES explicit scans sent " + sentByNode + " of " + CERTIFICATES);
        } finally {
            pool.shutdownNow();
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && jdbc.sql("select count(*) from mail_outbox where status = 'SENT'")
                .query(Long.class).single() < CERTIFICATES) {
            Thread.sleep(200);
        }
        Thread.sleep(2000); // both senders keep sweeping: a duplicate would arrive now
        for (String actor : actors) {
            assertThat(expiryMailsTo(actor)).as("mails to " + actor).hasSize(1);
        }
        assertThat(jdbc.sql("select count(*) from expiry_notice where threshold_days = 60 and outcome = 'SENT'")
                .query(Long.class).single()).isEqualTo(CERTIFICATES);
        assertThat(jdbc.sql("select count(*) from mail_outbox where template = 'certificate-expiry'")
                .query(Long.class).single()).isEqualTo(CERTIFICATES);
        assertThat(jdbc.sql("select count(*) from mail_outbox where status <> 'SENT'").query(Long.class).single()).isZero();
        // no other threshold is due yet at NOW
        assertThat(jdbc.sql("select count(*) from expiry_notice where threshold_days <> 60").query(Long.class).single()).isZero();
    }
}
