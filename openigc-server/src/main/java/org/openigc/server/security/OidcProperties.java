package org.openigc.server.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Pro Santé Connect (or any OIDC provider configured like it, DOMAIN §8). Disabled unless a discovery URL and a
 * client id are set. The client secret comes from the environment ({@code OPENIGC_OIDC_CLIENT_SECRET}) or a
 * secrets file, never from a committed file.
 *
 * @param discoveryUrl          full URL of the provider metadata; PSC uses the non-standard
 *                              {@code <issuer>/.well-known/wallet-openid-configuration}
 * @param authorizationEndpoint overrides the metadata's, for a provider whose login page lives on another host
 * @param principalClaim        claim holding the idNatPS ({@code SubjectNameID} at PSC)
 * @param acrValues             sent as {@code acr_values} and, when {@code requireAcr}, required back in the ID token
 */
@ConfigurationProperties("openigc.oidc")
public record OidcProperties(
        String discoveryUrl,
        String clientId,
        String clientSecret,
        String authorizationEndpoint,
        @DefaultValue({"openid", "scope_all"}) List<String> scopes,
        @DefaultValue("eidas1") String acrValues,
        @DefaultValue("true") boolean requireAcr,
        @DefaultValue("SubjectNameID") String principalClaim,
        @DefaultValue("true") boolean userInfo,
        @DefaultValue("Pro Santé Connect") String displayName) {

    public static final String REGISTRATION_ID = "psc";

    public boolean enabled() {
        return discoveryUrl != null && !discoveryUrl.isBlank() && clientId != null && !clientId.isBlank();
    }
}
