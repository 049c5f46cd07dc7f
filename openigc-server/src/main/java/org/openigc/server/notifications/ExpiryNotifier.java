package org.openigc.server.notifications;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.openigc.server.mail.MailOutbox;
import org.openigc.server.registry.Habilitation;
import org.openigc.server.registry.Person;
import org.openigc.server.registry.RegistryService;
import org.openigc.server.registry.Structure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Expiry notices (SPEC §3.5): each scan finds, through an index range on the end of validity, the active certificates
 * of a structure that reached a threshold without a recorded notice and have no active successor. Each certificate is
 * then handled in its own transaction: its row is locked with {@code FOR UPDATE SKIP LOCKED} (another node busy with it
 * → skipped here), the notice row is inserted {@code on conflict do nothing} and the mail queued in the outbox in the
 * same transaction. A notice is therefore sent exactly once per certificate and threshold, whatever restarts, crashes
 * or nodes; the outbox delivers it after commit with retries.
 *
 * <p>Catch-up: the first scan runs at start-up. When several thresholds passed unnoticed (downtime), only the most
 * urgent is sent; the others are recorded as skipped.
 */
@Service
public class ExpiryNotifier {
    private static final Logger log = LoggerFactory.getLogger(ExpiryNotifier.class);
    static final String TEMPLATE = "certificate-expiry";
    static final String DIGEST_TEMPLATE = "certificate-expiry-digest";
    private static final DateTimeFormatter MAIL_DATE = DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm")
            .withZone(ZoneId.of("Europe/Paris"));
    /** Bounds one scan's memory; the next scan continues. */
    static final int BATCH = 10_000;
    /**
     * Due certificates: a range of the partial index certificate_expiry_scan_idx, then per-row index probes
     * ({@code offset 0} keeps each subquery correlated, so the planner never hashes the whole certificate or
     * expiry_notice table).
     */
    static final String DUE_SQL = """
                select c.id from certificate c
                where c.status = 'ACTIVE' and c.structure_id is not null
                  and c.not_after <= :horizon and c.not_after > :floor
                  and exists (select 1 from unnest(cast(:days as int[])) as t(d)
                              where c.not_after - make_interval(days => t.d) <= :now
                                and not exists (select 1 from expiry_notice n
                                                where n.certificate_id = c.id and n.threshold_days = t.d offset 0))
                  and not exists (select 1 from certificate s
                                  where s.renews = c.id and s.status = 'ACTIVE' offset 0)
                  and not exists (select 1 from certificate s
                                  where s.structure_id = c.structure_id and s.usage = c.usage
                                    and s.environment = c.environment and s.service_applicatif = c.service_applicatif
                                    and s.status = 'ACTIVE' and s.not_after > c.not_after offset 0)
                order by c.not_after
                limit :limit
                """;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final MailOutbox mail;
    private final RegistryService registry;
    private final NotificationPreferences preferences;
    private final NotificationProperties properties;
    private final Clock clock;
    private final String publicUrl;

    ExpiryNotifier(JdbcClient jdbc, PlatformTransactionManager transactionManager, MailOutbox mail,
                   RegistryService registry, NotificationPreferences preferences, NotificationProperties properties,
                   Clock clock, @Value("${openigc.public-url:https://localhost:8443}") String publicUrl) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.mail = mail;
        this.registry = registry;
        this.preferences = preferences;
        this.properties = properties;
        this.clock = clock;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    /** First run right after start (catch-up), then every scan interval. */
    @Scheduled(initialDelayString = "${openigc.notifications.initial-delay:5s}",
            fixedDelayString = "${openigc.notifications.scan-interval:1h}")
    void scheduledScan() {
        try {
            scan(clock.instant());
        } catch (RuntimeException e) {
            log.error("event=expiry-scan-failed", e);
        }
    }

    @Scheduled(cron = "${openigc.notifications.digest-cron:0 0 7 * * *}", zone = "Europe/Paris")
    void scheduledDigests() {
        try {
            sendDigests(clock.instant());
        } catch (RuntimeException e) {
            log.error("event=expiry-digest-failed", e);
        }
    }

    /** The certificates due for a notice at {@code now} (no lock): an index range scan on not_after. */
    List<UUID> due(Instant now) {
        List<Integer> days = properties.thresholdDays();
        Instant horizon = now.plus(Duration.ofDays(days.getLast()));
        Instant floor = now.minus(properties.catchUpWindow());
        return jdbc.sql(DUE_SQL)
                .param("horizon", Timestamp.from(horizon)).param("floor", Timestamp.from(floor))
                .param("now", Timestamp.from(now)).param("days", days.toArray(Integer[]::new))
                .param("limit", BATCH)
                .query(UUID.class).list();
    }

    /**
     * One scan at the given instant (the scheduler passes the clock's; tests pass chosen instants). Safe to run on
     * several nodes or threads at once.
     *
     * @return the number of notices sent by this call
     */
    public int scan(Instant now) {
        int sent = 0;
        List<UUID> batch;
        int sentInBatch;
        do {
            // batches of BATCH until the due set is exhausted (or a batch makes no progress: another node has it,
            // or its certificates failed and wait for the next scan)
            batch = due(now);
            sentInBatch = 0;
            for (UUID id : batch) {
                try {
                    Boolean one = transactions.execute(status -> notify(id, now));
                    if (Boolean.TRUE.equals(one)) {
                        sentInBatch++;
                    }
                } catch (RuntimeException e) {
                    // one bad certificate (e.g. no recipient at all) must not stop the others; retried next scan
                    log.warn("event=expiry-notice-failed certificate={} error={}", id, e.toString());
                }
            }
            sent += sentInBatch;
        } while (batch.size() == BATCH && sentInBatch > 0);
        if (sent > 0) {
            log.info("event=expiry-scan sent={}", sent);
        }
        return sent;
    }

    private record Due(UUID id, UUID structureId, String serviceApplicatif, String environment, String usage,
                       String offer, String serialNumber, Instant notAfter, String actorEmail, String ccEmail) {
    }

    /** In the caller's transaction. True when this call sent the notice. */
    private boolean notify(UUID id, Instant now) {
        Optional<Due> locked = jdbc.sql("""
                select id, structure_id, service_applicatif, environment, usage, offer, serial_number, not_after,
                       actor_email, cc_email
                from certificate where id = :id and status = 'ACTIVE' for update skip locked
                """).param("id", id)
                .query((rs, n) -> new Due(rs.getObject("id", UUID.class), rs.getObject("structure_id", UUID.class),
                        rs.getString("service_applicatif"), rs.getString("environment"), rs.getString("usage"),
                        rs.getString("offer"), rs.getString("serial_number"),
                        rs.getObject("not_after", OffsetDateTime.class).toInstant(), rs.getString("actor_email"),
                        rs.getString("cc_email")))
                .optional();
        if (locked.isEmpty()) {
            return false; // another node holds it, or it was revoked meanwhile
        }
        Due certificate = locked.get();
        List<Integer> reached = properties.thresholdDays().stream()
                .filter(d -> !certificate.notAfter().minus(Duration.ofDays(d)).isAfter(now)).toList();
        if (reached.isEmpty()) {
            return false;
        }
        int urgent = reached.getFirst();
        boolean sent = false;
        if (record(id, urgent, "SENT", now)) {
            send(certificate, urgent, now);
            sent = true;
        }
        for (int days : reached.subList(1, reached.size())) {
            record(id, days, "SKIPPED", now);
        }
        return sent;
    }

    private boolean record(UUID certificate, int days, String outcome, Instant now) {
        return jdbc.sql("""
                insert into expiry_notice (certificate_id, threshold_days, outcome, recorded_at)
                values (:id, :days, :outcome, :now) on conflict do nothing
                """).param("id", certificate).param("days", days).param("outcome", outcome)
                .param("now", Timestamp.from(now)).update() == 1;
    }

    private void send(Due certificate, int days, Instant now) {
        Optional<Structure> structure = registry.structure(certificate.structureId());
        Map<String, Object> model = model(certificate, structure, days, now);
        Set<String> to = new LinkedHashSet<>();
        Set<String> cc = new LinkedHashSet<>();
        addAddress(to, certificate.actorEmail());
        addAddress(cc, certificate.ccEmail());
        for (UUID personId : administrators(certificate.structureId())) {
            if (preferences.digest(personId)) {
                jdbc.sql("""
                        insert into notification_digest_item (person_id, certificate_id, threshold_days, created_at)
                        values (:person, :certificate, :days, :now) on conflict do nothing
                        """).param("person", personId).param("certificate", certificate.id()).param("days", days)
                        .param("now", Timestamp.from(now)).update();
            } else {
                registry.person(personId).map(Person::email).ifPresent(email -> addAddress(cc, email));
            }
        }
        cc.removeIf(address -> to.contains(address));
        if (to.isEmpty() && cc.isEmpty()) {
            log.warn("event=expiry-notice-no-recipient certificate={}", certificate.id());
            return;
        }
        mail.enqueue(TEMPLATE, model, new ArrayList<>(to), new ArrayList<>(cc), Locale.FRENCH);
        log.info("event=expiry-notice-queued certificate={} thresholdDays={}", certificate.id(), days);
    }

    private List<UUID> administrators(UUID structureId) {
        return registry.habilitationsOn(structureId).stream().filter(Habilitation::active)
                .map(Habilitation::personId).distinct().toList();
    }

    private static void addAddress(Set<String> addresses, String address) {
        if (address != null && !address.isBlank()) {
            addresses.add(address.trim().toLowerCase(Locale.ROOT));
        }
    }

    private Map<String, Object> model(Due certificate, Optional<Structure> structure, int days, Instant now) {
        Map<String, Object> model = new HashMap<>();
        model.put("serviceApplicatif", certificate.serviceApplicatif() == null ? "" : certificate.serviceApplicatif());
        model.put("structure", structure.map(Structure::name).orElse(""));
        model.put("idNatStruct", structure.map(Structure::idNatStruct).orElse(""));
        model.put("environment", certificate.environment());
        model.put("offer", certificate.offer() == null ? "" : certificate.offer());
        model.put("usage", certificate.usage() == null ? "" : certificate.usage());
        model.put("serialNumber", certificate.serialNumber());
        model.put("notAfterText", MAIL_DATE.format(certificate.notAfter()));
        model.put("thresholdDays", days);
        long left = Math.max(0, Duration.between(now, certificate.notAfter()).toDays());
        model.put("daysLeft", left);
        model.put("expired", !certificate.notAfter().isAfter(now));
        model.put("renewUrl", renewUrl(certificate.id()));
        return model;
    }

    String renewUrl(UUID certificateId) {
        return publicUrl + "/app/certificates/" + certificateId;
    }

    /**
     * Sends each digest user one mail listing the notices collected since their last digest. Items are claimed with
     * {@code FOR UPDATE SKIP LOCKED} and marked sent in the transaction that queues the mail.
     *
     * @return the number of digest mails queued
     */
    public int sendDigests(Instant now) {
        List<UUID> persons = jdbc.sql("select distinct person_id from notification_digest_item where sent_at is null")
                .query(UUID.class).list();
        int sent = 0;
        for (UUID person : persons) {
            try {
                if (Boolean.TRUE.equals(transactions.execute(status -> digest(person, now)))) {
                    sent++;
                }
            } catch (RuntimeException e) {
                log.warn("event=expiry-digest-failed person={} error={}", person, e.toString());
            }
        }
        return sent;
    }

    private boolean digest(UUID person, Instant now) {
        List<Map<String, Object>> items = jdbc.sql("""
                select i.certificate_id, i.threshold_days, c.service_applicatif, c.environment, c.serial_number,
                       c.not_after, c.structure_id
                from notification_digest_item i join certificate c on c.id = i.certificate_id
                where i.person_id = :person and i.sent_at is null
                order by c.not_after, c.id
                for update of i skip locked
                """).param("person", person).query((rs, n) -> {
                    Map<String, Object> item = new HashMap<>();
                    UUID id = rs.getObject("certificate_id", UUID.class);
                    UUID structureId = rs.getObject("structure_id", UUID.class);
                    item.put("id", id);
                    item.put("thresholdDays", rs.getInt("threshold_days"));
                    item.put("serviceApplicatif", rs.getString("service_applicatif"));
                    item.put("environment", rs.getString("environment"));
                    item.put("serialNumber", rs.getString("serial_number"));
                    item.put("notAfterText", MAIL_DATE.format(rs.getObject("not_after", OffsetDateTime.class).toInstant()));
                    item.put("structureId", structureId);
                    item.put("renewUrl", renewUrl(id));
                    return item;
                }).list();
        if (items.isEmpty()) {
            return false;
        }
        List<UUID> claimed = items.stream().map(i -> (UUID) i.get("id")).distinct().toList();
        // each recipient sees only its own structures: an item of a structure the person no longer administers
        // (habilitation revoked since the notice) is dropped, not mailed
        Map<UUID, Boolean> administers = new HashMap<>();
        items = items.stream().filter(item -> administers.computeIfAbsent((UUID) item.get("structureId"),
                structure -> administrators(structure).contains(person))).toList();
        for (Map<String, Object> item : items) {
            item.put("structure", registry.structure((UUID) item.get("structureId")).map(Structure::name).orElse(""));
        }
        jdbc.sql("""
                update notification_digest_item set sent_at = :now
                where person_id = :person and sent_at is null and certificate_id = any(:ids)
                """).param("now", Timestamp.from(now)).param("person", person)
                .param("ids", claimed.toArray(UUID[]::new)).update();
        if (items.isEmpty()) {
            return false;
        }
        Optional<String> email = registry.person(person).map(Person::email).filter(e -> !e.isBlank());
        if (email.isEmpty()) {
            log.warn("event=expiry-digest-no-address person={}", person);
            return false;
        }
        mail.enqueue(DIGEST_TEMPLATE, Map.of("items", items, "count", items.size()), List.of(email.get()), List.of(),
                Locale.FRENCH);
        return true;
    }
}
