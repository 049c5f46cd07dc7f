package org.openigc.server.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import org.openigc.server.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes logins and refusals to the audit trail. A machine calling the API with its card authenticates on every
 * request; recording each call would drown the trail, so one certificate's login (or refusal for one reason) is
 * recorded at most once per window per node. Browser sessions are recorded every time they are opened.
 */
@Component
class LoginAudit {
    private static final Logger log = LoggerFactory.getLogger(LoginAudit.class);
    private static final Duration LOGIN_WINDOW = Duration.ofMinutes(10);
    private static final Duration REFUSAL_WINDOW = Duration.ofMinutes(1);
    private static final int MAX_TRACKED = 10_000;

    private final AuditTrail audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Map<String, Instant> lastRecorded = new ConcurrentHashMap<>();

    LoginAudit(AuditTrail audit, TransactionTemplate transactions, Clock clock) {
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    void login(HttpServletRequest request, OpenIgcUser user, LoginMethod method, String throttleKey) {
        if (throttleKey != null && !due("login:" + throttleKey, LOGIN_WINDOW)) {
            return;
        }
        record(user.idNatPs(), request, "login." + method.name().toLowerCase(), user.personId().toString(),
                Map.of("method", method.name(), "cardLogin", String.valueOf(user.cardLogin())));
    }

    void refused(HttpServletRequest request, String actor, LoginMethod method, String reason, String throttleKey) {
        if (throttleKey != null && !due("refused:" + reason + ":" + throttleKey, REFUSAL_WINDOW)) {
            return;
        }
        log.info("event=login-refused method={} reason={} actor={}", method, reason, actor);
        record(actor == null ? "anonymous" : actor, request, "login.refused", actor,
                Map.of("method", method.name(), "reason", reason));
    }

    private boolean due(String key, Duration window) {
        Instant now = clock.instant();
        if (lastRecorded.size() > MAX_TRACKED) {
            lastRecorded.clear();
        }
        Instant previous = lastRecorded.get(key);
        if (previous != null && previous.plus(window).isAfter(now)) {
            return false;
        }
        lastRecorded.put(key, now);
        return true;
    }

    private void record(String actor, HttpServletRequest request, String action, String objectId,
                        Map<String, String> details) {
        transactions.executeWithoutResult(status ->
                audit.recordAs(actor, request.getRemoteAddr(), action, "person", objectId, details));
    }
}
