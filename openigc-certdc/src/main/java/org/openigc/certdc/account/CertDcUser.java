package org.openigc.certdc.account;

import java.io.Serial;
import java.io.Serializable;
import java.security.Principal;
import java.util.List;
import java.util.UUID;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Who is logged in to CertDC, kept in the HTTP session: an account, by password or by card.
 *
 * @param method   {@code password} or {@code card}
 * @param testOnly logged in with a card of the TEST hierarchy: sees sandbox (test) data only
 */
public record CertDcUser(UUID accountId, String login, AccountKind kind, String displayName, String method,
                         boolean mustChangePassword, boolean testOnly) implements Principal, Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    @Override
    public String getName() {
        return "certdc:" + login;
    }

    public List<GrantedAuthority> authorities() {
        return List.of(new SimpleGrantedAuthority(kind.authority()));
    }

    public CertDcUser withPasswordChanged() {
        return new CertDcUser(accountId, login, kind, displayName, method, false, testOnly);
    }

    @Override
    public String toString() {
        return getName();
    }
}
