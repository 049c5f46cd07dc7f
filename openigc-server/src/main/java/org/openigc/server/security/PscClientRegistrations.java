package org.openigc.server.security;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.web.client.RestClient;

/**
 * The Pro Santé Connect client registration, built from the provider's metadata at the configured (non-standard)
 * discovery URL. Spring's own discovery only knows the standard paths, hence this. The metadata is fetched on first
 * use, not at start-up, so the platform starts even while the provider is unreachable; a failed fetch is retried
 * on the next login.
 */
class PscClientRegistrations implements ClientRegistrationRepository {
    private static final Logger log = LoggerFactory.getLogger(PscClientRegistrations.class);

    private final OidcProperties properties;
    private final RestClient http;
    private final AtomicReference<ClientRegistration> registration = new AtomicReference<>();

    PscClientRegistrations(OidcProperties properties) {
        this.properties = properties;
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
        factory.setReadTimeout(Duration.ofSeconds(10));
        this.http = RestClient.builder().requestFactory(factory).build();
    }

    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        if (!OidcProperties.REGISTRATION_ID.equals(registrationId)) {
            return null;
        }
        ClientRegistration current = registration.get();
        if (current == null) {
            current = load();
            registration.compareAndSet(null, current);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private ClientRegistration load() {
        Map<String, Object> metadata = http.get().uri(properties.discoveryUrl()).retrieve().body(Map.class);
        if (metadata == null) {
            throw new IllegalStateException("empty OIDC metadata at " + properties.discoveryUrl());
        }
        String authorization = properties.authorizationEndpoint() != null && !properties.authorizationEndpoint().isBlank()
                ? properties.authorizationEndpoint() : required(metadata, "authorization_endpoint");
        ClientRegistration built = ClientRegistration.withRegistrationId(OidcProperties.REGISTRATION_ID)
                .clientId(properties.clientId())
                .clientSecret(properties.clientSecret())
                .clientAuthenticationMethod(properties.clientSecret() == null || properties.clientSecret().isBlank()
                        ? ClientAuthenticationMethod.NONE : ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                .scope(properties.scopes())
                .authorizationUri(authorization)
                .tokenUri(required(metadata, "token_endpoint"))
                .jwkSetUri(required(metadata, "jwks_uri"))
                .userInfoUri((String) metadata.get("userinfo_endpoint"))
                // "sub" is always in the ID token; the idNatPS claim may come from the userinfo endpoint only.
                .userNameAttributeName("sub")
                .issuerUri(required(metadata, "issuer"))
                .providerConfigurationMetadata(metadata)
                .clientName(properties.displayName())
                .build();
        log.info("event=oidc-metadata-loaded issuer={} authorizationEndpoint={}", built.getProviderDetails().getIssuerUri(),
                authorization);
        return built;
    }

    private String required(Map<String, Object> metadata, String key) {
        Object value = metadata.get(key);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new IllegalStateException("OIDC metadata at " + properties.discoveryUrl() + " has no " + key);
        }
        return text;
    }
}
