package org.openigc.server.security;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;

import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * Maps a Pro Santé Connect login to a registered person: the ID token has been verified by Spring (signature,
 * issuer, audience, nonce); this checks the assurance level ({@code acr}), reads the idNatPS from the principal
 * claim ({@code SubjectNameID}) and applies the same card rules as a card login (opposed or expired → refused).
 */
class PscUserService implements OAuth2UserService<OidcUserRequest, OidcUser> {
    private final OidcProperties properties;
    private final UserDirectory directory;
    private final Clock clock;
    private final OidcUserService delegate = new OidcUserService();

    PscUserService(OidcProperties properties, UserDirectory directory, Clock clock) {
        this.properties = properties;
        this.directory = directory;
        this.clock = clock;
        // PSC's scopes (openid scope_all) are not the ones for which Spring fetches userinfo by default.
        delegate.setRetrieveUserInfo(request -> properties.userInfo()
                && request.getClientRegistration().getProviderDetails().getUserInfoEndpoint().getUri() != null);
    }

    @Override
    public OidcUser loadUser(OidcUserRequest request) {
        if (properties.requireAcr() && properties.acrValues() != null && !properties.acrValues().isBlank()) {
            Object acr = request.getIdToken().getClaims().get("acr");
            if (acr == null || !properties.acrValues().equals(acr.toString())) {
                throw refusal("login.refused.acr", "assurance level " + acr + " instead of " + properties.acrValues(), null);
            }
        }
        OidcUser oidc = delegate.loadUser(request);
        Object claim = oidc.getClaims().get(properties.principalClaim());
        if (!(claim instanceof String idNatPs) || idNatPs.isBlank()) {
            throw refusal("login.refused.noIdNatPs", "no " + properties.principalClaim() + " claim", null);
        }
        DirectoryEntry person = directory.byIdNatPs(idNatPs)
                .orElseThrow(() -> refusal("login.refused.unknownPerson", "unknown person", idNatPs));
        String refusal = person.cardRefusal(LocalDate.now(clock.withZone(ZoneId.of("Europe/Paris"))));
        if (refusal != null) {
            throw refusal(refusal, "card refused", idNatPs);
        }
        return new PscUser(oidc, person.toUser(false));
    }

    private static OAuth2AuthenticationException refusal(String code, String description, String idNatPs) {
        return new OAuth2AuthenticationException(new OAuth2Error(code, description, null),
                idNatPs == null ? description : idNatPs);
    }

    /** The OIDC user carrying the platform user, until the success handler replaces the authentication. */
    static final class PscUser extends DefaultOidcUser {
        private final OpenIgcUser user;

        PscUser(OidcUser oidc, OpenIgcUser user) {
            super(oidc.getAuthorities(), oidc.getIdToken(), oidc.getUserInfo(), "sub");
            this.user = user;
        }

        OpenIgcUser user() {
            return user;
        }
    }
}
