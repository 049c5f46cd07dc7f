package org.openigc.server.audit;

import java.util.List;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Read side of the trail, for auditors and operators only. */
@Service
@PreAuthorize("hasAnyRole('AUDITOR','OPERATOR')")
public class AuditEvents {
    public static final int MAX_PAGE_SIZE = 200;

    private final AuditEventRepository events;
    private final AuditChainVerifier verifier;
    private final AuditChainer chainer;

    AuditEvents(AuditEventRepository events, AuditChainVerifier verifier, AuditChainer chainer) {
        this.events = events;
        this.verifier = verifier;
        this.chainer = chainer;
    }

    /**
     * Every event committed before the call is shown: pending ones are chained first.
     *
     * @param page 0-based; @param size 1..{@value #MAX_PAGE_SIZE}
     */
    @Transactional(readOnly = true)
    public AuditPage search(AuditFilter filter, int page, int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page >= 0 and 1 <= size <= " + MAX_PAGE_SIZE);
        }
        chainer.chainPending();
        List<AuditEvent> found = events.search(filter, page, size);
        boolean hasNext = found.size() > size;
        return new AuditPage(hasNext ? found.subList(0, size) : found, page, size, hasNext);
    }

    public AuditVerification verify() {
        chainer.chainPending();
        return verifier.verify();
    }

    /** Newest first. No total: counting an ever-growing table on every page costs more than it tells. */
    public record AuditPage(List<AuditEvent> items, int page, int size, boolean hasNext) {
    }
}
