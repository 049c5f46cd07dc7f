package org.openigc.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openigc.server.ServerTestSupport;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

class AuditTrailIT extends ServerTestSupport {
    @Autowired
    AuditTrail trail;
    @Autowired
    AuditChainer chainer;
    @Autowired
    AuditChainVerifier verifier;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    org.springframework.transaction.PlatformTransactionManager transactionManager;
    @Autowired
    Clock clock;

    @AfterEach
    void clearContexts() {
        SecurityContextHolder.clearContext();
        RequestContextHolder.resetRequestAttributes();
    }

    @Test
    void eachEventIsChainedToThePreviousOneByItsHash() {
        String object = UUID.randomUUID().toString();
        Instant before = clock.instant().minusMillis(1);
        transactions.executeWithoutResult(status -> {
            trail.record("test.created", "thing", object, Map.of("b", "2", "a", "1"));
            trail.record("test.updated", "thing", object, Map.of("reason", "l’été « déjà » \u0000 ok"));
            trail.recordAs(null, null, "test.swept", "thing", object, null);
        });
        List<AuditEvent> events = eventsOf(object);
        assertThat(events).extracting(AuditEvent::action).containsExactly("test.created", "test.updated", "test.swept");
        for (int i = 1; i < events.size(); i++) {
            assertThat(events.get(i).previousHash()).isEqualTo(hashBefore(events.get(i).id()));
            assertThat(events.get(i).id()).isGreaterThan(events.get(i - 1).id());
        }
        for (AuditEvent event : events) {
            assertThat(AuditHash.of(event)).isEqualTo(event.hash());
            assertThat(event.occurredAt()).isAfter(before).isBefore(clock.instant().plusSeconds(1));
        }
        assertThat(events.get(0).details()).containsExactly(Map.entry("a", "1"), Map.entry("b", "2"));
        assertThat(events.get(1).details().get("reason")).isEqualTo("l’été « déjà » \uFFFD ok");
        // outside a request and without a login: the system acted
        assertThat(events).allSatisfy(event -> {
            assertThat(event.actor()).isEqualTo("system");
            assertThat(event.sourceIp()).isEqualTo("system");
        });
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void actorComesFromTheSecurityContextAndSourceIpFromTheRequest() {
        String object = UUID.randomUUID().toString();
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/things");
        request.setRemoteAddr("203.0.113.7");
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
        trail.record("test.anonymous", "thing", object, Map.of());
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "alice", null, AuthorityUtils.createAuthorityList("ROLE_OPERATOR")));
        trail.record("test.by-alice", "thing", object, Map.of());
        trail.recordAs("card:1234", "198.51.100.9", "login.refused", "person", object, Map.of("why", "opposed"));

        List<AuditEvent> events = eventsOf(object);
        assertThat(events).extracting(AuditEvent::actor).containsExactly("anonymous", "alice", "card:1234");
        assertThat(events).extracting(AuditEvent::sourceIp)
                .containsExactly("203.0.113.7", "203.0.113.7", "198.51.100.9");
    }

    @Test
    void anEventRollsBackWithTheChangeItRecords() {
        String object = UUID.randomUUID().toString();
        transactions.executeWithoutResult(status -> {
            trail.record("test.doomed", "thing", object, Map.of());
            status.setRollbackOnly();
        });
        assertThat(eventsOf(object)).isEmpty();
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void theTableRefusesUpdatesAndDeletes() {
        String object = UUID.randomUUID().toString();
        trail.record("test.kept", "thing", object, Map.of());
        chainer.chainPending();
        assertThatThrownBy(() -> jdbc.sql("update audit_event set actor = 'mallory' where object_id = :o")
                .param("o", object).update()).rootCause().hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.sql("delete from audit_event where object_id = :o").param("o", object).update())
                .rootCause().hasMessageContaining("append-only");
        // in a transaction rolled back anyway: should the trigger ever go missing, the shared trail survives
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            status.setRollbackOnly();
            jdbc.sql("truncate audit_event").update();
        })).rootCause().hasMessageContaining("append-only");
        assertThat(eventsOf(object)).singleElement().extracting(AuditEvent::actor).isEqualTo("system");
    }

    @Test
    void aCommittedEventIsChainedByTheChainerThreadAndARolledBackOneNever() throws Exception {
        String object = UUID.randomUUID().toString();
        transactions.executeWithoutResult(status -> trail.record("test.pending", "thing", object, Map.of()));
        transactions.executeWithoutResult(status -> {
            trail.record("test.doomed", "thing", object, Map.of());
            status.setRollbackOnly();
        });
        // no chainPending() here: the commit woke the audit-chainer thread up
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (chainedCount(object) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(chainedCount(object)).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from audit_pending where object_id = :o").param("o", object)
                .query(Long.class).single()).isZero();
        assertThatThrownBy(() -> transactions.executeWithoutResult(status -> {
            jdbc.sql("insert into audit_pending (occurred_at, actor, source_ip, action) "
                    + "values (now(), 'system', 'system', 'test.edit')").update();
            jdbc.sql("update audit_pending set actor = 'mallory' where action = 'test.edit'").update();
        })).rootCause().hasMessageContaining("append-only");
    }

    @Test
    void twoNodesChainingAtOnceKeepOneChainWithEveryEventOnce() throws Exception {
        String object = UUID.randomUUID().toString();
        // a second chainer on the same database, as another node would run
        AuditChainer otherNode = new AuditChainer(new AuditEventRepository(jdbc), transactionManager);
        int writers = 4;
        int perWriter = 25;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        CountDownLatch start = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (AuditChainer node : List.of(chainer, otherNode)) {
                pool.submit(() -> {
                    start.await();
                    while (writing.get()) {
                        node.chainPending();
                    }
                    return null;
                });
            }
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perWriter; i++) {
                        int n = i;
                        transactions.executeWithoutResult(status -> trail.record("test.two-nodes", "thing", object,
                                Map.of("writer", String.valueOf(writer), "n", String.valueOf(n))));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            writing.set(false);
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        otherNode.chainPending();
        List<AuditEvent> events = eventsOf(object);
        assertThat(events).hasSize(writers * perWriter);
        assertThat(events.stream().map(e -> e.details().get("writer") + "/" + e.details().get("n")).distinct())
                .hasSize(writers * perWriter);
        AuditVerification verification = verifier.verify();
        assertThat(verification.intact()).as(verification.summary()).isTrue();
        assertThat(verification.pending()).isZero();
    }

    @Test
    void concurrentTransactionsKeepOneValidChain() throws Exception {
        String object = UUID.randomUUID().toString();
        int threads = 6;
        int perThread = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        int n = i;
                        transactions.executeWithoutResult(status -> {
                            trail.record("test.concurrent", "thing", object,
                                    Map.of("thread", String.valueOf(thread), "n", String.valueOf(n)));
                            // some work after the append, before the commit
                            jdbc.sql("select pg_sleep(0.002)").query().singleValue();
                        });
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(eventsOf(object)).hasSize(threads * perThread);
        AuditVerification verification = verifier.verify();
        assertThat(verification.intact()).as(verification.summary()).isTrue();
    }

    @Test
    void verifyNamesAnEditedEvent() {
        String object = UUID.randomUUID().toString();
        transactions.executeWithoutResult(status -> {
            trail.record("test.before", "thing", object, Map.of());
            trail.record("certificate.revoked", "certificate", object, Map.of("reason", "keyCompromise"));
            trail.record("test.after", "thing", object, Map.of());
        });
        AuditEvent edited = eventsOf(object).get(1);
        AuditTamper.update(transactions, jdbc, "update audit_event set details = '{\"reason\": \"superseded\"}' "
                + "where id = " + edited.id());
        try {
            AuditVerification broken = verifier.verify();
            assertThat(broken.intact()).isFalse();
            assertThat(broken.brokenId()).isEqualTo(edited.id());
            assertThat(broken.reason()).contains("modified");
            assertThat(broken.summary()).contains("BROKEN at event #" + edited.id());
        } finally {
            AuditTamper.update(transactions, jdbc, "update audit_event set details = '{\"reason\": \"keyCompromise\"}' "
                    + "where id = " + edited.id());
        }
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void verifyNamesTheEventAfterADeletedOne() {
        String object = UUID.randomUUID().toString();
        transactions.executeWithoutResult(status -> {
            trail.record("test.first", "thing", object, Map.of());
            trail.record("test.second", "thing", object, Map.of());
        });
        List<AuditEvent> events = eventsOf(object);
        AuditEvent deleted = events.get(0);
        AuditTamper.update(transactions, jdbc, "delete from audit_event where id = " + deleted.id());
        try {
            AuditVerification broken = verifier.verify();
            assertThat(broken.intact()).isFalse();
            // the event chained after the deleted one (another node's event may sit between the two)
            assertThat(broken.brokenId()).isEqualTo(jdbc.sql("select min(id) from audit_event where id > :id")
                    .param("id", deleted.id()).query(Long.class).single());
            assertThat(broken.reason()).contains("deleted");
        } finally {
            transactions.executeWithoutResult(status -> new AuditEventRepository(jdbc).insert(deleted));
        }
        assertThat(verifier.verify().intact()).isTrue();
    }

    private long chainedCount(String objectId) {
        return jdbc.sql("select count(*) from audit_event where object_id = :o").param("o", objectId)
                .query(Long.class).single();
    }

    /** The hash of the event chained just before {@code id}. */
    private String hashBefore(long id) {
        return jdbc.sql("select hash from audit_event where id < :id order by id desc limit 1").param("id", id)
                .query(String.class).single();
    }

    /** The object's chained events, after a chaining pass (so every event committed before is in). */
    private List<AuditEvent> eventsOf(String objectId) {
        chainer.chainPending();
        return jdbc.sql("select id, occurred_at, actor, source_ip, action, object_type, object_id, details::text as "
                        + "details, previous_hash, hash from audit_event where object_id = :o order by id")
                .param("o", objectId)
                .query((rs, n) -> AuditEventRepository.StoredRow.of(rs).toEvent()).list();
    }
}
