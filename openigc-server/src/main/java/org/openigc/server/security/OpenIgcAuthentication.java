package org.openigc.server.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The one authentication type of the platform, whatever the login method: the principal is always an
 * {@link OpenIgcUser}.
 *
 * @see CurrentUser
 */
public final class OpenIgcAuthentication extends AbstractAuthenticationToken {
    private final OpenIgcUser user;
    private final LoginMethod method;
    /** SHA-256 of the card certificate for card logins: a different card on the same session means a new login. */
    private final String certificateFingerprint;

    public OpenIgcAuthentication(OpenIgcUser user, LoginMethod method, String certificateFingerprint) {
        super(user.roles().stream().map(r -> new SimpleGrantedAuthority(r.authority())).toList());
        this.user = user;
        this.method = method;
        this.certificateFingerprint = certificateFingerprint;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public OpenIgcUser getPrincipal() {
        return user;
    }

    @Override
    public String getName() {
        return user.idNatPs();
    }

    public LoginMethod method() {
        return method;
    }

    public String certificateFingerprint() {
        return certificateFingerprint;
    }

    List<String> roleNames() {
        return user.roles().stream().map(Enum::name).sorted().toList();
    }
}
