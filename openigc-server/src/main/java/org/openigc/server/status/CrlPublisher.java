package org.openigc.server.status;

import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.openigc.ca.CaKey;
import org.openigc.ca.CrlBuilder;
import org.openigc.ca.RevocationReason;
import org.openigc.ca.RevokedEntry;
import org.openigc.server.authority.CertificateAuthorities;
import org.openigc.server.certificates.CertificateEvents.CertificateRevoked;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One CRL per CA, rebuilt at once after every revocation (bursts coalesce into one rebuild per CA) and at least every
 * {@link StatusProperties#crlInterval()}. The CRL number is taken under a row lock, so several nodes on one database
 * keep it monotonic.
 */
@Service
public class CrlPublisher {
    private static final Logger log = LoggerFactory.getLogger(CrlPublisher.class);

    private final CertificateAuthorities authorities;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final StatusProperties properties;
    private final Clock clock;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean publishing = new AtomicBoolean();
    private final Map<String, Published> cache = new ConcurrentHashMap<>();

    record Published(long number, Instant thisUpdate, Instant nextUpdate, byte[] der, Instant readAt) {
    }

    CrlPublisher(CertificateAuthorities authorities, JdbcClient jdbc, TransactionTemplate transactions,
                 StatusProperties properties, Clock clock) {
        this.authorities = authorities;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    @TransactionalEventListener
    void onRevocation(CertificateRevoked revoked) {
        dirty.add(revoked.caName());
        publishDirty();
    }

    /** Coalesces: whoever holds the flag rebuilds every CA marked dirty meanwhile. */
    @Scheduled(fixedDelay = 1000)
    void publishDirty() {
        while (!dirty.isEmpty() && publishing.compareAndSet(false, true)) {
            try {
                for (String caName : Set.copyOf(dirty)) {
                    dirty.remove(caName);
                    publish(caName);
                }
            } finally {
                publishing.set(false);
            }
        }
    }

    /** Every CA whose CRL is missing or older than the interval. */
    @Scheduled(initialDelay = 0, fixedDelayString = "${openigc.status.crl-check:60000}")
    void publishDue() {
        Instant due = clock.instant().minus(properties.crlInterval());
        for (CaKey ca : authorities.all()) {
            Optional<Instant> last = jdbc.sql("select this_update from crl where ca_name = :ca")
                    .param("ca", ca.name()).query(Timestamp.class).optional().map(Timestamp::toInstant);
            if (last.isEmpty() || last.get().isBefore(due)) {
                publish(ca.name(), due);
            }
        }
        publishDirty();
    }

    /** Builds, signs and stores the next CRL of one CA; returns its number. */
    public long publish(String caName) {
        return publish(caName, null);
    }

    /**
     * As {@link #publish(String)}; with {@code staleBefore}, only when the stored CRL is still older than that once
     * its row is locked: several nodes find the same CRL due at the same moment, one of them publishes it.
     * Returns the new number, or -1 when another node published meanwhile.
     */
    long publish(String caName, Instant staleBefore) {
        CaKey ca = authorities.byName(caName).orElseThrow(() -> new IllegalArgumentException("unknown CA " + caName));
        Long number = transactions.execute(status -> {
            jdbc.sql("insert into crl (ca_name, crl_number, this_update, next_update, entries, der) "
                    + "values (:ca, 0, 'epoch', 'epoch', 0, '') on conflict do nothing").param("ca", caName).update();
            Map<String, Object> current = jdbc.sql("select crl_number, this_update from crl where ca_name = :ca "
                    + "for update").param("ca", caName).query().singleRow();
            long previous = ((Number) current.get("crl_number")).longValue();
            Instant previousUpdate = current.get("this_update") instanceof Timestamp at ? at.toInstant()
                    : ((java.time.OffsetDateTime) current.get("this_update")).toInstant();
            if (staleBefore != null && previous > 0 && !previousUpdate.isBefore(staleBefore)) {
                return -1L;
            }
            long next = previous + 1;
            List<RevokedEntry> entries = jdbc.sql("""
                    select serial_number, revoked_at, revocation_reason from certificate
                    where ca_name = :ca and status = 'REVOKED' order by revoked_at, serial_number
                    """).param("ca", caName)
                    .query((rs, row) -> new RevokedEntry(new BigInteger(rs.getString(1), 16),
                            rs.getTimestamp(2).toInstant(), reason(rs.getString(3))))
                    .list();
            Instant thisUpdate = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            Instant nextUpdate = thisUpdate.plus(properties.crlValidity());
            byte[] der = CrlBuilder.build(ca, BigInteger.valueOf(next), thisUpdate, nextUpdate, entries);
            jdbc.sql("""
                    update crl set crl_number = :number, this_update = :thisUpdate, next_update = :nextUpdate,
                           entries = :entries, der = :der where ca_name = :ca
                    """).param("number", next).param("thisUpdate", Timestamp.from(thisUpdate))
                    .param("nextUpdate", Timestamp.from(nextUpdate)).param("entries", entries.size())
                    .param("der", der).param("ca", caName).update();
            cache.put(caName, new Published(next, thisUpdate, nextUpdate, der, clock.instant()));
            return next;
        });
        if (number != null && number < 0) {
            log.debug("event=crl-already-published ca={}", caName);
            return number;
        }
        log.info("event=crl-published ca={} number={}", caName, number);
        return number;
    }

    /** The latest CRL, read from the database at most once a second per CA (another node may have published). */
    public Optional<byte[]> latest(String caName) {
        if (authorities.byName(caName).isEmpty()) {
            return Optional.empty();
        }
        Published cached = cache.get(caName);
        Instant now = clock.instant();
        if (cached != null && cached.readAt().isAfter(now.minusSeconds(1))) {
            return Optional.of(cached.der());
        }
        Optional<Published> stored = jdbc.sql("select crl_number, this_update, next_update, der from crl "
                        + "where ca_name = :ca and crl_number > 0").param("ca", caName)
                .query((rs, row) -> new Published(rs.getLong(1), rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3).toInstant(), rs.getBytes(4), now)).optional();
        if (stored.isEmpty()) {
            publish(caName);
            return Optional.of(cache.get(caName).der());
        }
        cache.put(caName, stored.get());
        return Optional.of(stored.get().der());
    }

    static RevocationReason reason(String apiName) {
        return switch (apiName == null ? "unspecified" : apiName) {
            case "keyCompromise" -> RevocationReason.KEY_COMPROMISE;
            case "affiliationChanged" -> RevocationReason.AFFILIATION_CHANGED;
            case "superseded" -> RevocationReason.SUPERSEDED;
            case "cessationOfOperation" -> RevocationReason.CESSATION_OF_OPERATION;
            case "caCompromise" -> RevocationReason.CA_COMPROMISE;
            case "privilegeWithdrawn" -> RevocationReason.PRIVILEGE_WITHDRAWN;
            default -> RevocationReason.UNSPECIFIED;
        };
    }
}
