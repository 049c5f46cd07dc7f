package org.openigc.server.audit;

import java.time.Clock;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The append-only, hash-chained audit trail. Every state change and every login or refusal is recorded here, in the
 * same transaction as the change: if the change rolls back, so does its event.
 *
 * <p>Appends are serialised cluster-wide by a PostgreSQL advisory lock held until the caller's transaction ends, so
 * the chain stays linear with several nodes on one database. Record the event late in the transaction (after the
 * slow work) to keep that lock short. Run at READ COMMITTED (the default): the last hash must be read after the lock
 * is taken; under a stale snapshot the unique {@code previous_hash} makes the insert fail rather than fork the chain.
 */
@Service
public class AuditTrail {
    /** Advisory lock key of the chain (the CA bootstrap uses 0x0FE16C000001). */
    static final long CHAIN_LOCK = 0x0FE1_6C00_A0D1L;
    static final String ANONYMOUS = "anonymous";
    static final String SYSTEM = "system";
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

    private final AuditEventRepository events;
    private final Clock clock;

    AuditTrail(AuditEventRepository events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /**
     * Records one event in the current transaction; the actor and source IP are taken from the security context
     * and the current request.
     *
     * @param action     e.g. {@code habilitation.approved}, {@code certificate.revoked}, {@code login.refused}
     * @param objectType e.g. {@code habilitation}, {@code certificate}, {@code structure}
     * @param details    small key/value facts (ids, counts, reasons) — never secrets or patient data
     */
    @Transactional(propagation = Propagation.REQUIRED)
    public void record(String action, String objectType, String objectId, Map<String, String> details) {
        append(currentActor(), currentSourceIp(), action, objectType, objectId, details);
    }

    /** For events without a logged-in user (failed logins, scheduled jobs, system start-up). */
    @Transactional(propagation = Propagation.REQUIRED)
    public void recordAs(String actor, String sourceIp, String action, String objectType, String objectId,
                         Map<String, String> details) {
        append(actor == null || actor.isBlank() ? SYSTEM : actor,
                sourceIp == null || sourceIp.isBlank() ? currentSourceIp() : sourceIp,
                action, objectType, objectId, details);
    }

    private void append(String actor, String sourceIp, String action, String objectType, String objectId,
                        Map<String, String> details) {
        if (action == null || action.isBlank()) {
            throw new IllegalArgumentException("an audit event needs an action");
        }
        events.lockChain();
        AuditEventRepository.Next next = events.next(); // one round-trip, after the lock (fresh snapshot)
        String previous = next.previousHash() == null ? AuditHash.GENESIS : next.previousHash();
        long id = next.id();
        AuditEvent unsigned = new AuditEvent(id, AuditHash.storable(clock.instant()), AuditText.clean(actor),
                AuditText.clean(sourceIp), AuditText.clean(action), AuditText.clean(objectType),
                AuditText.clean(objectId), AuditDetails.normalise(details), previous, null);
        AuditEvent event = new AuditEvent(unsigned.id(), unsigned.occurredAt(), unsigned.actor(), unsigned.sourceIp(),
                unsigned.action(), unsigned.objectType(), unsigned.objectId(), unsigned.details(), previous,
                AuditHash.of(unsigned));
        events.insert(event);
        // details stay out of the log: they are for auditors, and a careless caller could put personal data there
        log.info("event=audit id={} action={} objectType={} objectId={}", id, event.action(), event.objectType(),
                event.objectId());
    }

    /** The logged-in user; "anonymous" inside a request without one, "system" outside any request. */
    static String currentActor() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken) && authentication.getName() != null) {
            return authentication.getName();
        }
        return currentRequest() != null ? ANONYMOUS : SYSTEM;
    }

    static String currentSourceIp() {
        HttpServletRequest request = currentRequest();
        return request != null && request.getRemoteAddr() != null ? request.getRemoteAddr() : SYSTEM;
    }

    private static HttpServletRequest currentRequest() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        return attributes instanceof ServletRequestAttributes servlet ? servlet.getRequest() : null;
    }
}
