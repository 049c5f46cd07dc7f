package org.openigc.server.certificates;

import java.io.Serializable;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.servlet.http.HttpSession;
import org.springframework.web.util.WebUtils;

/**
 * The wizard's pending orders, kept server-side in the HTTP session between the review and the confirmation. A
 * draft holds the checked form (public data: structure, product information, contacts, the CSR) and its recap,
 * never a private key, a PKCS#12 password or a revocation code: those are given on the confirmation page and used at
 * once. A few drafts per session (several tabs); the oldest goes first.
 */
final class OrderDrafts {
    private static final String ATTRIBUTE = OrderDrafts.class.getName();
    private static final int MAX_DRAFTS = 5;
    private static final SecureRandom RANDOM = new SecureRandom();

    record Draft(CertificatePagesController.OrderForm form, CertificateService.Preview preview, UUID personId)
            implements Serializable {
    }

    private OrderDrafts() {
    }

    @SuppressWarnings("unchecked")
    private static LinkedHashMap<String, Draft> drafts(HttpSession session) {
        Object value = session.getAttribute(ATTRIBUTE);
        if (value instanceof LinkedHashMap<?, ?> map) {
            return (LinkedHashMap<String, Draft>) map;
        }
        LinkedHashMap<String, Draft> map = new LinkedHashMap<>();
        session.setAttribute(ATTRIBUTE, map);
        return map;
    }

    static String put(HttpSession session, Draft draft) {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        synchronized (WebUtils.getSessionMutex(session)) {
            LinkedHashMap<String, Draft> drafts = drafts(session);
            drafts.put(id, draft);
            while (drafts.size() > MAX_DRAFTS) {
                drafts.remove(drafts.keySet().iterator().next());
            }
            session.setAttribute(ATTRIBUTE, drafts);
        }
        return id;
    }

    /** The draft, if it exists and belongs to this person (a session changes hands only through a new login). */
    static Draft get(HttpSession session, String id, UUID personId) {
        synchronized (WebUtils.getSessionMutex(session)) {
            Draft draft = drafts(session).get(id);
            return draft != null && Objects.equals(draft.personId(), personId) ? draft : null;
        }
    }

    /** Removes and returns the draft: only one confirmation can ever use it. */
    static Draft take(HttpSession session, String id, UUID personId) {
        synchronized (WebUtils.getSessionMutex(session)) {
            Map<String, Draft> drafts = drafts(session);
            Draft draft = drafts.get(id);
            if (draft == null || !Objects.equals(draft.personId(), personId)) {
                return null;
            }
            drafts.remove(id);
            session.setAttribute(ATTRIBUTE, drafts);
            return draft;
        }
    }

    static void restore(HttpSession session, String id, Draft draft) {
        synchronized (WebUtils.getSessionMutex(session)) {
            LinkedHashMap<String, Draft> drafts = drafts(session);
            drafts.put(id, draft);
            session.setAttribute(ATTRIBUTE, drafts);
        }
    }
}
