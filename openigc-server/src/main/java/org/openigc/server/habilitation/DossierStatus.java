package org.openigc.server.habilitation;

/**
 * States of a form 413 dossier (SPEC §3.1). A dossier is {@link #SUBMITTED} and {@link #ACKNOWLEDGED} in the same
 * transaction (its reference is returned and mailed at once); the operator then approves it, rejects it with a
 * reason, or asks the submitter for information, after which the submitter resubmits it (acknowledged again).
 * The moves between states are {@link DossierTransition}s.
 */
public enum DossierStatus {
    SUBMITTED, ACKNOWLEDGED, APPROVED, REJECTED, INFORMATION_REQUESTED;

    /** Waiting for the operator: what the queue lists by default. */
    public boolean pendingForOperator() {
        return this == SUBMITTED || this == ACKNOWLEDGED;
    }

    /** No transition leaves this state. */
    public boolean terminal() {
        return this == APPROVED || this == REJECTED;
    }
}
