package org.openigc.server.status;

import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.openigc.ca.CaException;
import org.openigc.ca.CaKey;
import org.openigc.ca.OcspCertId;
import org.openigc.ca.OcspRequests;
import org.openigc.ca.OcspResponseSigner;
import org.openigc.ca.ParsedOcspRequest;
import org.openigc.ca.SingleStatus;
import org.openigc.server.authority.CertificateAuthorities;
import org.openigc.server.authority.IssuanceService;
import org.openigc.server.certificates.CertificateEvents.CertificateRevoked;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * OCSP (RFC 6960, RFC 5019 profile). Answers without a nonce are signed ahead and served from memory until half of
 * their validity is gone, so a national service can poll at a high rate; a revocation evicts and re-signs at once on
 * the node that made it, and within {@link StatusProperties#revocationPoll()} on the others. Each CA answers through a
 * delegated responder whose key lives in memory only and is renewed automatically.
 */
@Service
public class OcspResponder {
    private static final Logger log = LoggerFactory.getLogger(OcspResponder.class);

    private final CertificateAuthorities authorities;
    private final IssuanceService issuance;
    private final JdbcClient jdbc;
    private final StatusProperties properties;
    private final Clock clock;
    /** issuer key hash (hex) + hash algorithm → CA name. */
    private final Map<String, String> caByKeyHash = new ConcurrentHashMap<>();
    /** Issuer name hashes per "hash OID:CA name", computed once per CA certificate instead of per request. */
    private final Map<String, IssuerHash> issuerHashes = new ConcurrentHashMap<>();

    private record IssuerHash(java.security.cert.X509Certificate certificate, byte[] nameHash) {
    }
    private final Map<String, Responder> signers = new ConcurrentHashMap<>();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private volatile Instant lastPoll;

    private record Responder(CaKey key, OcspResponseSigner signer) {
    }

    record Cached(byte[] der, Instant refreshAfter, Instant nextUpdate) {
    }

    /** What the HTTP layer sends back: the DER and, for cacheable answers, until when. */
    public record Answer(byte[] der, Instant nextUpdate) {
    }

    OcspResponder(CertificateAuthorities authorities, IssuanceService issuance, JdbcClient jdbc,
                  StatusProperties properties, Clock clock) {
        this.authorities = authorities;
        this.issuance = issuance;
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        for (CaKey ca : authorities.all()) {
            for (String hash : List.of(OcspCertId.SHA1, OcspCertId.SHA256)) {
                OcspCertId probe = OcspCertId.of(ca.certificate(), BigInteger.ONE, hash);
                caByKeyHash.put(hash + ":" + HexFormat.of().formatHex(probe.issuerKeyHash()), ca.name());
                issuerHashes.put(hash + ":" + ca.name(), new IssuerHash(ca.certificate(), probe.issuerNameHash()));
            }
        }
        this.lastPoll = clock.instant();
    }

    public Answer respond(byte[] request) {
        ParsedOcspRequest parsed;
        try {
            parsed = OcspRequests.parse(request, properties.ocspMaxRequests());
        } catch (CaException e) {
            return new Answer(OcspResponseSigner.malformedRequest(), null);
        }
        List<String> caNames = new ArrayList<>();
        for (OcspCertId id : parsed.ids()) {
            String caName = caByKeyHash.get(id.hashAlgorithmOid() + ":" + HexFormat.of().formatHex(id.issuerKeyHash()));
            if (caName == null || !matches(id, caName)) {
                return new Answer(OcspResponseSigner.unauthorized(), null);
            }
            caNames.add(caName);
        }
        boolean oneSigner = caNames.stream().distinct().count() == 1;
        if (!oneSigner) {
            // one response has one signer: ask per CA
            return new Answer(OcspResponseSigner.malformedRequest(), null);
        }
        String caName = caNames.getFirst();
        Instant now = clock.instant();
        if (parsed.nonce() == null && parsed.ids().size() == 1) {
            String key = cacheKey(caName, parsed.ids().getFirst());
            Cached cached = cache.get(key);
            if (cached != null && now.isBefore(cached.refreshAfter())) {
                return new Answer(cached.der(), cached.nextUpdate());
            }
            Cached fresh = sign(caName, parsed.ids(), null, now);
            cache.put(key, fresh);
            return new Answer(fresh.der(), fresh.nextUpdate());
        }
        Cached signed = sign(caName, parsed.ids(), parsed.nonce(), now);
        return new Answer(signed.der(), parsed.nonce() == null ? signed.nextUpdate() : null);
    }

    private Cached sign(String caName, List<OcspCertId> ids, byte[] nonce, Instant now) {
        Instant thisUpdate = now.truncatedTo(ChronoUnit.SECONDS);
        Instant nextUpdate = thisUpdate.plus(properties.ocspValidity());
        List<SingleStatus> statuses = new ArrayList<>(ids.size());
        for (OcspCertId id : ids) {
            statuses.add(status(caName, id, thisUpdate, nextUpdate));
        }
        byte[] der = signer(caName).sign(statuses, nonce, thisUpdate);
        return new Cached(der, thisUpdate.plus(properties.ocspValidity().dividedBy(2)), nextUpdate);
    }

    /**
     * Same answer as {@code id.matches(caCertificate)}: the key hash already matched through {@code caByKeyHash}; the
     * name hash is compared with the one computed for the current CA certificate (recomputed if it changed).
     */
    private boolean matches(OcspCertId id, String caName) {
        java.security.cert.X509Certificate current = authorities.byName(caName).orElseThrow().certificate();
        IssuerHash known = issuerHashes.get(id.hashAlgorithmOid() + ":" + caName);
        if (known == null || known.certificate() != current) {
            return id.matches(current);
        }
        return java.security.MessageDigest.isEqual(known.nameHash(), id.issuerNameHash());
    }

    private SingleStatus status(String caName, OcspCertId id, Instant thisUpdate, Instant nextUpdate) {
        Optional<Row> row = jdbc.sql("""
                select status, revoked_at, revocation_reason from certificate
                where serial_number = :serial and ca_name = :ca
                """).param("serial", id.serial().toString(16)).param("ca", caName)
                .query((rs, n) -> new Row(rs.getString(1), rs.getTimestamp(2), rs.getString(3))).optional();
        if (row.isEmpty() || !(row.get().status().equals("ACTIVE") || row.get().status().equals("REVOKED"))) {
            return SingleStatus.unknown(id, thisUpdate, nextUpdate);
        }
        if (row.get().status().equals("REVOKED")) {
            return SingleStatus.revoked(id, row.get().revokedAt().toInstant(),
                    CrlPublisher.reason(row.get().reason()), thisUpdate, nextUpdate);
        }
        return SingleStatus.good(id, thisUpdate, nextUpdate);
    }

    private record Row(String status, Timestamp revokedAt, String reason) {
    }

    private OcspResponseSigner signer(String caName) {
        return signers.computeIfAbsent(caName, name -> {
            CaKey responder = issuance.issueOcspResponder(name, properties.ocspResponderValidity(), clock.instant());
            log.info("event=ocsp-responder-issued ca={} serial={} notAfter={}", name,
                    responder.certificate().getSerialNumber().toString(16), responder.certificate().getNotAfter().toInstant());
            return new Responder(responder, new OcspResponseSigner(responder));
        }).signer();
    }

    /** Renews responders in their last third of validity; answers signed by the old one stay valid. */
    @Scheduled(fixedDelay = 3_600_000, initialDelay = 3_600_000)
    void renewResponders() {
        Instant limit = clock.instant().plus(properties.ocspResponderValidity().dividedBy(3));
        signers.entrySet().removeIf(entry -> entry.getValue().key().certificate().getNotAfter().toInstant().isBefore(limit));
    }

    @TransactionalEventListener
    void onRevocation(CertificateRevoked revoked) {
        evict(revoked.caName(), revoked.serialNumber());
    }

    /** Revocations made by other nodes: anything revoked lately is evicted (cheap, idempotent). */
    @Scheduled(fixedDelayString = "${openigc.status.revocation-poll:500}")
    void pollRevocations() {
        Instant since = lastPoll.minus(Duration.ofSeconds(30)); // commits may land after their revoked_at
        lastPoll = clock.instant();
        jdbc.sql("select ca_name, serial_number from certificate where revoked_at > :since")
                .param("since", Timestamp.from(since))
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)}).list()
                .forEach(r -> evict(r[0], r[1]));
    }

    private void evict(String caName, String serialHex) {
        for (String hash : List.of(OcspCertId.SHA1, OcspCertId.SHA256)) {
            cache.remove(caName + "|" + hash + "|" + serialHex);
        }
    }

    private static String cacheKey(String caName, OcspCertId id) {
        return caName + "|" + id.hashAlgorithmOid() + "|" + id.serial().toString(16);
    }

    int cachedResponses() {
        return cache.size();
    }
}
