package org.openigc.server.mail;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Addresses that mails could not reach: refused for good by the SMTP server (5xx), or still refused after every
 * retry. An address is cleared as soon as a later mail to it is accepted, so a flag always reflects the last news.
 */
@Service
public class UndeliverableAddresses {
    /** The table stays small (one row per bad address); the list is bounded anyway. */
    static final int LIST_LIMIT = 1000;

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    UndeliverableAddresses(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    @Transactional(readOnly = true)
    public boolean isUndeliverable(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        return jdbc.sql("select exists (select 1 from undeliverable_address where address = :address)")
                .param("address", Recipients.key(address)).query(Boolean.class).single();
    }

    /** Most recently refused first. */
    @Transactional(readOnly = true)
    public List<UndeliverableAddress> list() {
        return jdbc.sql("""
                select address, first_seen, last_seen, last_error, structure_id from undeliverable_address
                order by last_seen desc, address limit :limit
                """).param("limit", LIST_LIMIT)
                .query((rs, n) -> new UndeliverableAddress(rs.getString("address"),
                        rs.getObject("first_seen", OffsetDateTime.class).toInstant(),
                        rs.getObject("last_seen", OffsetDateTime.class).toInstant(), rs.getString("last_error"),
                        rs.getObject("structure_id", UUID.class)))
                .list();
    }

    /**
     * The undeliverable addresses that concern a structure, for its page: the ones tied to it, those of the contacts
     * (actor, CC) of its certificates, and those of its technical administrators. Most recently refused first.
     */
    @Transactional(readOnly = true)
    public List<UndeliverableAddress> ofStructure(UUID structureId) {
        return jdbc.sql("""
                select u.address, u.first_seen, u.last_seen, u.last_error, u.structure_id from undeliverable_address u
                where u.structure_id = :structure
                   or exists (select 1 from certificate c where lower(c.actor_email) = u.address
                              and c.structure_id = :structure)
                   or exists (select 1 from certificate c where lower(c.cc_email) = u.address
                              and c.structure_id = :structure)
                   or exists (select 1 from habilitation h join person p on p.id = h.person_id
                              where h.structure_id = :structure and h.revoked_at is null
                                and lower(p.email) = u.address)
                order by u.last_seen desc, u.address limit :limit
                """).param("structure", structureId).param("limit", LIST_LIMIT)
                .query((rs, n) -> new UndeliverableAddress(rs.getString("address"),
                        rs.getObject("first_seen", OffsetDateTime.class).toInstant(),
                        rs.getObject("last_seen", OffsetDateTime.class).toInstant(), rs.getString("last_error"),
                        rs.getObject("structure_id", UUID.class)))
                .list();
    }

    /** Ties an address to a structure, for the structure's page (the outbox itself knows no structures). */
    @Transactional
    public void attachStructure(String address, UUID structureId) {
        jdbc.sql("update undeliverable_address set structure_id = :structure where address = :address")
                .param("structure", structureId).param("address", Recipients.key(address)).update();
    }

    /** Joins the caller's transaction (the sender's result update). */
    void record(String address, String error, Instant now) {
        Boolean inserted = jdbc.sql("""
                insert into undeliverable_address (address, first_seen, last_seen, last_error)
                values (:address, :now, :now, :error)
                on conflict (address) do update set last_seen = excluded.last_seen, last_error = excluded.last_error
                returning (xmax = 0) as inserted
                """)
                .param("address", Recipients.key(address)).param("now", Timestamp.from(now)).param("error", error)
                .query(Boolean.class).single();
        if (Boolean.TRUE.equals(inserted)) {
            events.publishEvent(new AddressUndeliverable(Recipients.key(address), error));
        }
    }

    void clear(Collection<String> addresses) {
        if (addresses.isEmpty()) {
            return;
        }
        jdbc.sql("delete from undeliverable_address where address = any(:addresses)")
                .param("addresses", addresses.stream().map(Recipients::key).toArray(String[]::new)).update();
    }
}
