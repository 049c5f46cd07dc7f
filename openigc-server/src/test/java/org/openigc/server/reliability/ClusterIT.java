package org.openigc.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openigc.server.audit.AuditChainVerifier;
import org.openigc.server.audit.AuditVerification;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Scale-out (issue 11 §4) and backup/restore (§7), with real processes: two platform nodes on different ports share
 * one external PostgreSQL and the same CA key material; then the database is dumped with pg_dump while they run,
 * restored into a fresh database, and a third node started on it with the CA key material serves the same
 * certificates, OCSP answers and CRL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {
    /** Scheduled jobs at test speed, on both nodes: each runs many times during the test on each node. */
    private static final Map<String, String> FAST_JOBS = Map.of(
            "openigc.mail.poll-interval", "300ms",
            "openigc.notifications.initial-delay", "500ms",
            "openigc.notifications.scan-interval", "300ms",
            "openigc.status.crl-interval", "2s",
            "openigc.status.crl-check", "200",
            "openigc.certdc.purge-interval", "300ms",
            // issued certificates expire within the 30-day notice threshold: each order makes an expiry notice
            "openigc.ca.validity", "P20D");

    private Path root;
    private ReliabilityDatabase database;
    private JdbcClient jdbc;
    private ServerProcess nodeA;
    private ServerProcess nodeB;
    private PlatformClient clientA;
    private PlatformClient clientB;

    @BeforeAll
    void twoNodes() throws IOException {
        root = Files.createTempDirectory("openigc-cluster-");
        database = new ReliabilityDatabase();
        jdbc = database.jdbc("postgres");
        nodeA = new ServerProcess("node-a", root.resolve("a"), database.jdbcUrl("postgres"), database.smtpPort,
                FAST_JOBS).start();
        // a node started without the CA key material refuses to start (it must not make a second hierarchy)
        ServerProcess bare = new ServerProcess("node-bare", root.resolve("bare"), database.jdbcUrl("postgres"),
                database.smtpPort, FAST_JOBS);
        try {
            bare.start();
            throw new AssertionError("a node without the CA keys started");
        } catch (AssertionError expected) {
            assertThat(Files.readString(root.resolve("bare").resolve("node-bare-1.log")))
                    .as(expected.getMessage()).contains("but their keys are not in");
        }
        // the second node: the same CA key material (and CertDC data key), copied as an operator would
        copyKeyMaterial(root.resolve("a"), root.resolve("b"));
        nodeB = new ServerProcess("node-b", root.resolve("b"), database.jdbcUrl("postgres"), database.smtpPort,
                FAST_JOBS).start();
        clientA = new PlatformClient(nodeA, "admin-chu");
        clientB = new PlatformClient(nodeB, "admin-chu");
    }

    @AfterAll
    void stop() throws IOException {
        for (ServerProcess node : new ServerProcess[] {nodeA, nodeB}) {
            if (node != null) {
                node.stop();
            }
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    @Order(1)
    void ordersOnBothNodesOcspFollowsRevocationsAcrossNodesAndJobsRunOnceClusterWide() throws Exception {
        assertThat(clientB.root.getEncoded()).as("both nodes serve the same root").isEqualTo(clientA.root.getEncoded());
        X509Certificate issuer = PlatformClient.certificate(clientA.get(nodeA.http("/ca/prod-organisations.crt")));
        long crlStart = crlNumber("prod-organisations");
        long crlStartedAt = System.nanoTime();

        // CertDC deposits past their 96 hours: the purge job of either node removes them, once
        UUID si = jdbc.sql("select id from certdc.information_system order by id limit 1").query(UUID.class).single();
        int expiredDeposits = 5;
        for (int i = 0; i < expiredDeposits; i++) {
            jdbc.sql("""
                    insert into certdc.deposit (id, si_id, establishment, mode, received_at, expires_at, ipp_index,
                        payload, request_digest, certificate_serial)
                    values (:id, :si, '750100018', 'SANDBOX', now() - interval '97 hours', now() - interval '1 hour',
                        :ipp, '\\x00'::bytea, 'cluster-test', '01')
                    """).param("id", UUID.randomUUID()).param("si", si).param("ipp", "cluster-" + i).update();
        }

        // orders on both nodes, each visible in the other's tracking
        List<String[]> issued = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            PlatformClient client = i % 2 == 0 ? clientA : clientB;
            String actor = "cluster-" + UUID.randomUUID().toString().substring(0, 8) + "@chu-demo.fr";
            HttpResponse<String> response = client.postJson("/api/v1/certificates", PlatformClient.order(actor));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            JsonNode body = PlatformClient.json(response);
            issued.add(new String[] {body.get("id").asString(), body.get("serialNumber").asString(), actor});
        }
        for (String[] certificate : issued) {
            for (PlatformClient client : List.of(clientA, clientB)) {
                HttpResponse<String> tracked = client.getJson("/api/v1/certificates/" + certificate[0]);
                assertThat(tracked.statusCode()).isEqualTo(200);
                assertThat(PlatformClient.json(tracked).get("serialNumber").asString()).isEqualTo(certificate[1]);
            }
        }

        // expiry notices (validity 20 days, threshold 30 days): one per certificate though both nodes scan;
        // awaited before any revocation, since a revoked certificate gets no notice
        for (String[] certificate : issued) {
            awaitTrue(() -> jdbc.sql("select count(*) from expiry_notice where certificate_id = :id and outcome = 'SENT'")
                    .param("id", UUID.fromString(certificate[0])).query(Long.class).single() == 1, "expiry notice of "
                    + certificate[0]);
        }

        // OCSP: node B answers good (and caches that answer), node A revokes, node B says revoked within a second
        for (int round = 0; round < 2; round++) {
            String[] target = issued.get(round);
            ServerProcess revoker = round == 0 ? nodeA : nodeB;
            PlatformClient revokerClient = round == 0 ? clientA : clientB;
            PlatformClient other = round == 0 ? clientB : clientA;
            BigInteger serial = new BigInteger(target[1], 16);
            assertThat(other.ocsp(issuer, serial)).isEqualTo("good");
            assertThat(other.ocsp(issuer, serial)).isEqualTo("good");
            HttpResponse<String> revoked = revokerClient.postJson("/api/v1/certificates/" + target[0] + "/revocation",
                    Map.of("reason", "keyCompromise"));
            assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
            long revokedAt = System.nanoTime();
            String status;
            long elapsed;
            do {
                status = other.ocsp(issuer, serial);
                elapsed = (System.nanoTime() - revokedAt) / 1_000_000;
            } while (!status.startsWith("revoked") && elapsed < 3000);
            System.out.printf("ClusterIT: revocation on %s seen by the other node's OCSP after %d ms%n",
                    revoker == nodeA ? "A" : "B", elapsed);
            assertThat(status).isEqualTo("revoked:1");
            assertThat(elapsed).as("ms until the other node's OCSP says revoked").isLessThan(1000);
        }

        // the purge of expired deposits
        awaitTrue(() -> jdbc.sql("select count(*) from certdc.deposit where expires_at <= now()").query(Long.class)
                .single() == 0, "expired deposits purged");
        // the purge's audit events are chained within a second of their commit
        awaitTrue(() -> jdbc.sql("select count(*) from audit_pending where action = 'certdc.purge'").query(Long.class)
                .single() == 0, "purge events chained");
        List<String> purged = jdbc.sql("select details->>'deposits' from audit_event where action = 'certdc.purge'")
                .query(String.class).list();
        assertThat(purged.stream().mapToInt(Integer::parseInt).sum()).as("deposits counted by purge rounds %s", purged)
                .isEqualTo(expiredDeposits);

        // every mail (orders, expiry notices) sent once, though both nodes sweep the outbox every 300 ms
        awaitTrue(() -> jdbc.sql("select count(*) from mail_outbox where status <> 'SENT'").query(Long.class)
                .single() == 0, "outbox sent");
        ServerProcess.sleep(1000);
        Map<String, Integer> deliveries = database.deliveriesByMessageId();
        Map<String, String> wrong = new LinkedHashMap<>();
        for (Map<String, Object> mail : jdbc.sql("select message_id, template, cardinality(delivered_addresses) as n "
                + "from mail_outbox").query().listOfRows()) {
            int expected = ((Number) mail.get("n")).intValue();
            int count = deliveries.getOrDefault((String) mail.get("message_id"), 0);
            if (count != expected) {
                wrong.put((String) mail.get("message_id"), mail.get("template") + ": " + count + " of " + expected);
            }
        }
        assertThat(wrong).as("mails not delivered exactly once per recipient").isEmpty();
        for (String[] certificate : issued) {
            assertThat(jdbc.sql("select count(*) from mail_outbox where template = 'certificate-expiry' "
                    + "and :actor = any(to_addresses)").param("actor", certificate[2]).query(Long.class).single())
                    .as("expiry mails to %s", certificate[2]).isEqualTo(1);
        }

        // CRL: one publication per interval cluster-wide (2 s), not one per node; numbers only grow
        double seconds = (System.nanoTime() - crlStartedAt) / 1e9;
        long published = crlNumber("prod-organisations") - crlStart;
        System.out.printf("ClusterIT: %d CRLs of prod-organisations in %.1f s with a 2 s interval on two nodes%n",
                published, seconds);
        assertThat(published).as("CRL publications in %.1f s (2 revocations + one per 2 s)", seconds)
                .isLessThanOrEqualTo((long) Math.ceil(seconds / 2) + 2 + 2);
        X509CRL crl = crl(clientB, nodeB, "prod-organisations");
        assertThat(crl.getRevokedCertificate(new BigInteger(issued.get(0)[1], 16))).isNotNull();
        assertThat(crl.getRevokedCertificate(new BigInteger(issued.get(1)[1], 16))).isNotNull();

        AuditVerification audit = new AuditChainVerifier(jdbc).verify();
        assertThat(audit.intact()).as(audit.summary()).isTrue();
    }

    @Test
    @Order(2)
    void aPgDumpRestoredIntoAFreshDatabaseServesTheSameCertificatesAndStatuses() throws Exception {
        X509Certificate issuer = PlatformClient.certificate(clientA.get(nodeA.http("/ca/prod-organisations.crt")));
        List<String[]> issued = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = clientA.postJson("/api/v1/certificates", PlatformClient.order(
                    "backup-" + UUID.randomUUID().toString().substring(0, 8) + "@chu-demo.fr"));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            JsonNode body = PlatformClient.json(response);
            issued.add(new String[] {body.get("id").asString(), body.get("serialNumber").asString(),
                    body.get("certificate").asString()});
        }
        assertThat(clientA.postJson("/api/v1/certificates/" + issued.get(1)[0] + "/revocation",
                Map.of("reason", "superseded")).statusCode()).isEqualTo(200);
        awaitTrue(() -> crl(clientA, nodeA, "prod-organisations")
                .getRevokedCertificate(new BigInteger(issued.get(1)[1], 16)) != null, "CRL with the revocation");

        // the backup, taken while both nodes run: pg_dump's snapshot is consistent
        Path dump = root.resolve("openigc.dump");
        database.run("pg_dump", "--format=custom", "--file=" + dump, "postgres");
        Map<String, String> before = statuses(clientA, issuer, issued);
        X509CRL crlBefore = crl(clientA, nodeA, "prod-organisations");

        // the restore: a fresh database, and a fresh data directory holding only the CA key material backup
        database.createDatabase("restored");
        database.run("pg_restore", "--no-owner", "--exit-on-error", "--dbname=restored", dump.toString());
        copyKeyMaterial(root.resolve("a"), root.resolve("c"));
        nodeB.stop();
        try (ServerProcess nodeC = new ServerProcess("node-c", root.resolve("c"), database.jdbcUrl("restored"),
                database.smtpPort, Map.of()).start()) {
            PlatformClient clientC = new PlatformClient(nodeC, "admin-chu");
            assertThat(clientC.root.getEncoded()).isEqualTo(clientA.root.getEncoded());
            for (String[] certificate : issued) {
                HttpResponse<String> tracked = clientC.getJson("/api/v1/certificates/" + certificate[0]);
                assertThat(tracked.statusCode()).isEqualTo(200);
                assertThat(PlatformClient.json(tracked).get("certificate").asString().strip())
                        .isEqualTo(certificate[2].strip());
            }
            Map<String, String> after = statuses(clientC, issuer, issued);
            assertThat(after).isEqualTo(before);
            assertThat(after.get(issued.get(1)[1])).isEqualTo("revoked:4");
            X509CRL crlAfter = crl(clientC, nodeC, "prod-organisations");
            assertThat(crlAfter.getRevokedCertificates()).isEqualTo(crlBefore.getRevokedCertificates());
            crlAfter.verify(issuer.getPublicKey());
            AuditVerification audit = new AuditChainVerifier(database.jdbc("restored")).verify();
            assertThat(audit.intact()).as(audit.summary()).isTrue();
            // and the restored platform keeps working: a new order on it
            HttpResponse<String> order = clientC.postJson("/api/v1/certificates",
                    PlatformClient.order("restored-" + UUID.randomUUID().toString().substring(0, 8) + "@chu-demo.fr"));
            assertThat(order.statusCode()).as(order.body()).isEqualTo(201);
        }
    }

    private Map<String, String> statuses(PlatformClient client, X509Certificate issuer, List<String[]> issued) {
        Map<String, String> statuses = new HashMap<>();
        for (String[] certificate : issued) {
            statuses.put(certificate[1], client.ocsp(issuer, new BigInteger(certificate[1], 16)));
        }
        return statuses;
    }

    private static X509CRL crl(PlatformClient client, ServerProcess node, String ca) {
        try {
            return (X509CRL) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCRL(new java.io.ByteArrayInputStream(client.get(node.http("/crl/" + ca + ".crl"))));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long crlNumber(String ca) {
        return jdbc.sql("select coalesce(max(crl_number), 0) from crl where ca_name = :ca").param("ca", ca)
                .query(Long.class).single();
    }

    /** The CA key material backup: the data directory's ca/ (encrypted PKCS#12) and secrets/ (CertDC data key). */
    static void copyKeyMaterial(Path from, Path to) {
        for (String folder : List.of("ca", "secrets")) {
            Path source = from.resolve(folder);
            if (!Files.isDirectory(source)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path target = to.resolve(folder).resolve(source.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            ServerProcess.sleep(100);
        }
    }
}
