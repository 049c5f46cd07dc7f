package org.openigc.server.habilitation;

import java.util.EnumSet;
import java.util.Set;

import org.openigc.server.web.ConflictException;

/**
 * The state machine of a dossier: every transition names the states it may leave and the state it reaches. The
 * service has one method per transition, and each calls {@link #from} with the dossier's current state (read under
 * a row lock) before changing anything: a wrong transition is a {@link ConflictException} (409) and changes nothing.
 */
enum DossierTransition {
    /** A new dossier is recorded (never from an existing state). */
    SUBMIT(EnumSet.noneOf(DossierStatus.class), DossierStatus.SUBMITTED, "habilitation.submitted"),
    /** At once after SUBMIT and RESUBMIT: the reference is returned and mailed. */
    ACKNOWLEDGE(EnumSet.of(DossierStatus.SUBMITTED), DossierStatus.ACKNOWLEDGED, "habilitation.acknowledged"),
    APPROVE(EnumSet.of(DossierStatus.ACKNOWLEDGED), DossierStatus.APPROVED, "habilitation.approved"),
    /** Also from INFORMATION_REQUESTED: a dossier the submitter never completes can be closed. */
    REJECT(EnumSet.of(DossierStatus.ACKNOWLEDGED, DossierStatus.INFORMATION_REQUESTED), DossierStatus.REJECTED,
            "habilitation.rejected"),
    REQUEST_INFORMATION(EnumSet.of(DossierStatus.ACKNOWLEDGED), DossierStatus.INFORMATION_REQUESTED,
            "habilitation.information-requested"),
    /** The submitter sends the corrected form back. */
    RESUBMIT(EnumSet.of(DossierStatus.INFORMATION_REQUESTED), DossierStatus.SUBMITTED, "habilitation.resubmitted");

    private final Set<DossierStatus> from;
    private final DossierStatus to;
    private final String auditAction;

    DossierTransition(Set<DossierStatus> from, DossierStatus to, String auditAction) {
        this.from = from;
        this.to = to;
        this.auditAction = auditAction;
    }

    /**
     * The state reached from {@code current}.
     *
     * @throws ConflictException (409) when this transition may not leave {@code current}
     */
    DossierStatus from(DossierStatus current) {
        if (!allowedFrom(current)) {
            throw new ConflictException("habilitation.transition.notAllowed",
                    "Transition " + name() + " is not allowed from status " + current,
                    "object.habilitation.transition." + name(), "object.habilitation.status." + current);
        }
        return to;
    }

    boolean allowedFrom(DossierStatus current) {
        return current != null && from.contains(current);
    }

    DossierStatus target() {
        return to;
    }

    String auditAction() {
        return auditAction;
    }
}
