package org.openigc.server.habilitation;

import java.util.List;

/**
 * Approval refused because prerequisites fail (→ 409 with the failed prerequisites). Nothing was changed. Not a
 * {@code ProblemException} (that hierarchy is closed): the habilitation controllers map it themselves.
 */
public final class PrerequisitesNotMetException extends RuntimeException {
    private final String reference;
    private final List<Prerequisite> failed;

    PrerequisitesNotMetException(String reference, List<Prerequisite> failed) {
        super("Prerequisites not met for dossier " + reference + ": "
                + String.join(", ", failed.stream().map(Prerequisite::name).toList()));
        this.reference = reference;
        this.failed = List.copyOf(failed);
    }

    public String reference() {
        return reference;
    }

    public List<Prerequisite> failed() {
        return failed;
    }
}
