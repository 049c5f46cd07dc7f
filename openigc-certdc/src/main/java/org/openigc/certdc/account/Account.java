package org.openigc.certdc.account;

import java.time.Instant;
import java.util.UUID;

/**
 * A CertDC account. {@code passwordHash} is null for card-only accounts; {@code idNatPs} is set for card holders.
 */
public record Account(UUID id, String login, AccountKind kind, String displayName, String email, String idNatPs,
                      String passwordHash, boolean mustChangePassword, int failedAttempts, Instant lockedAt,
                      boolean enabled, Instant createdAt) {
    public boolean locked() {
        return lockedAt != null;
    }
}
