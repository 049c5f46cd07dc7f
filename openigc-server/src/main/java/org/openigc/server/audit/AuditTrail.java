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
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The append-only, hash-chained audit trail. Every state change and every login or refusal is recorded here, in the
 * same transaction as the change: if the change rolls back, so does its event.
 *
 * <p>The event is written as pending in the caller's transaction, without any lock; once that transaction commits,
 * {@link AuditChainer} links it to the chain (group commit, cluster-wide order). The unique {@code previous_hash}
 * makes a forked chain impossible even if two chainers ever raced.
 */
@Service
public class AuditTrail {
    /** Marks a transaction whose commit already wakes the chainer up. */
    private static final Object CHAINER_SIGNAL = new Object();
    static final String ANONYMOUS = "anonymous";
    static final String SYSTEM = "system";
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

    private final AuditEventRepository events;
    private final AuditChainer chainer;
    private final Clock clock;

    AuditTrail(AuditEventRepository events, AuditChainer chainer, Clock clock) {
        this.events = events;
        this.chainer = chainer;
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
        String cleanAction = AuditText.clean(action);
        String cleanType = AuditText.clean(objectType);
        String cleanId = AuditText.clean(objectId);
        events.insertPending(AuditHash.storable(clock.instant()), AuditText.clean(actor), AuditText.clean(sourceIp),
                cleanAction, cleanType, cleanId, AuditDetails.normalise(details));
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            if (!TransactionSynchronizationManager.hasResource(CHAINER_SIGNAL)) {
                TransactionSynchronizationManager.bindResource(CHAINER_SIGNAL, Boolean.TRUE);
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCommit() {
                        chainer.signal();
                    }

                    @Override
                    public void afterCompletion(int status) {
                        TransactionSynchronizationManager.unbindResourceIfPossible(CHAINER_SIGNAL);
                    }
                });
            }
        } else {
            chainer.signal();
        }
        // details stay out of the log: they are for auditors, and a careless caller could put personal data there
        log.info("event=audit action={} objectType={} objectId={}", cleanAction, cleanType, cleanId);
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
