package org.openigc.server.habilitation;

import java.time.Instant;
import java.util.UUID;

/**
 * A form 413 dossier as stored.
 *
 * @param reference      {@code 413-<year>-<6 digits>}, given at submission, kept through resubmissions
 * @param submittedBy    the person who signed and submitted it (the caller of the submission)
 * @param acknowledgedAt the last (re)submission's acknowledgement: the operator's 3-working-day target runs from it
 * @param decidedBy      the operator who approved or rejected it, or asked for information last
 */
public record HabilitationDossier(UUID id, String reference, DossierStatus status, UUID structureId,
                                  UUID submittedBy, DossierContent content, Instant submittedAt,
                                  Instant acknowledgedAt, int resubmissions, Instant decidedAt, UUID decidedBy,
                                  String rejectionReason, String informationRequest, Instant updatedAt) {
}
