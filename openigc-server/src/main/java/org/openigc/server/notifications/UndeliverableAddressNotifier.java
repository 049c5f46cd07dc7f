package org.openigc.server.notifications;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.openigc.server.mail.AddressUndeliverable;
import org.openigc.server.mail.MailOutbox;
import org.openigc.server.mail.UndeliverableAddresses;
import org.openigc.server.registry.Person;
import org.openigc.server.registry.RegistryService;
import org.openigc.server.registry.Representative;
import org.openigc.server.registry.Structure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * The FAQ's lost-notification problem: when a certificate's contact address is flagged undeliverable, the address is
 * tied to the certificate's structure (shown on its page) and the structure's legal representatives are told by mail,
 * once per address and structure.
 */
@Component
class UndeliverableAddressNotifier {
    private static final Logger log = LoggerFactory.getLogger(UndeliverableAddressNotifier.class);
    static final String TEMPLATE = "certificate-expiry-undeliverable";

    private final JdbcClient jdbc;
    private final RegistryService registry;
    private final MailOutbox mail;
    private final UndeliverableAddresses undeliverable;
    private final ExpiryNotifier notifier;
    private final Clock clock;

    UndeliverableAddressNotifier(JdbcClient jdbc, RegistryService registry, MailOutbox mail,
                                 UndeliverableAddresses undeliverable, ExpiryNotifier notifier, Clock clock) {
        this.jdbc = jdbc;
        this.registry = registry;
        this.mail = mail;
        this.undeliverable = undeliverable;
        this.notifier = notifier;
        this.clock = clock;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void on(AddressUndeliverable event) {
        String address = event.address().toLowerCase(Locale.ROOT);
        List<Map<String, Object>> certificates = jdbc.sql("""
                select distinct on (structure_id) structure_id, id, service_applicatif, environment
                from certificate
                where structure_id is not null and (lower(actor_email) = :address or lower(cc_email) = :address)
                order by structure_id, not_after desc
                """).param("address", address).query().listOfRows();
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneId.of("Europe/Paris"));
        for (Map<String, Object> certificate : certificates) {
            UUID structureId = (UUID) certificate.get("structure_id");
            undeliverable.attachStructure(address, structureId);
            boolean first = jdbc.sql("""
                    insert into undeliverable_notice (address, structure_id, notified_at) values (:address, :structure, :now)
                    on conflict do nothing
                    """).param("address", address).param("structure", structureId)
                    .param("now", Timestamp.from(now)).update() == 1;
            if (!first) {
                continue;
            }
            List<String> representatives = registry.representativesOf(structureId).stream()
                    .filter(r -> r.activeOn(today)).map(Representative::personId).distinct()
                    .map(registry::person).flatMap(java.util.Optional::stream).map(Person::email)
                    .filter(Objects::nonNull).filter(e -> !e.isBlank())
                    .filter(e -> !e.equalsIgnoreCase(address)).distinct().toList();
            if (representatives.isEmpty()) {
                log.warn("event=undeliverable-no-representative structure={}", structureId);
                continue;
            }
            Map<String, Object> model = new HashMap<>();
            model.put("address", address);
            model.put("error", event.error() == null ? "" : event.error());
            model.put("structure", registry.structure(structureId).map(Structure::name).orElse(""));
            model.put("idNatStruct", registry.structure(structureId).map(Structure::idNatStruct).orElse(""));
            model.put("serviceApplicatif", Objects.toString(certificate.get("service_applicatif"), ""));
            model.put("environment", Objects.toString(certificate.get("environment"), ""));
            model.put("certificateUrl", notifier.renewUrl((UUID) certificate.get("id")));
            mail.enqueue(TEMPLATE, model, representatives, List.of(), Locale.FRENCH);
            log.info("event=undeliverable-representatives-told structure={} recipients={}", structureId,
                    representatives.size());
        }
    }
}
