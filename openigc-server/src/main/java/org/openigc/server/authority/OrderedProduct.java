package org.openigc.server.authority;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What an order adds to its certificate's row (structure, product, contacts, requester, revocation code…): given to
 * {@link IssuanceService#issue(org.openigc.ca.Environment, org.openigc.ca.ProfileId, org.openigc.ca.IssuanceRequest,
 * Channel, OrderedProduct)}, it is written with the row in the same single insert.
 */
public record OrderedProduct(UUID structureId, String offer, String usage, String serviceApplicatif,
                             List<String> dnsNames, String actorEmail, String ccEmail, UUID requestedBy,
                             String revocationCodeHash, Instant termsAcceptedAt, UUID renews,
                             boolean keyGeneratedOnline) {
}
