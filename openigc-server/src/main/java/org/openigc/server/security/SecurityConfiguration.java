package org.openigc.server.security;

import java.io.IOException;
import java.time.Clock;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openigc.server.demo.DemoMode;
import org.openigc.server.web.Problems;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.preauth.x509.X509AuthenticationFilter;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may reach what. Public: the public space, what a CA publishes, the machine protocols (each with its own
 * authentication), health, static files, the API documentation, and the demo pages in demo mode. Everything else
 * under {@code /app/**} and {@code /api/**} needs a login; {@code /api/**} answers 401/403 as problem+json, never a
 * redirect.
 *
 * <h2>CSRF</h2>
 * Every form needs the token. A browser presents the card's TLS client certificate on its own, even on a
 * cross-site request and even without cookies, so "no session cookie" can never mean "not a browser": a forged
 * cross-site form post would be authenticated by the card. The API is exempt only for requests whose body is
 * declared JSON ({@code application/json} or {@code *+json}): a cross-site form or a no-cors fetch cannot send that
 * content type (it would need a CORS preflight, which the platform never grants). A state-changing API call without
 * a JSON body (e.g. a POST with no body) therefore needs either {@code Content-Type: application/json} or the CSRF
 * token. Machine protocols with their own non-simple content types (OCSP, EST, ACME) and the two public API calls
 * (revocation by code, verification) carry no session authority and are exempt.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {
    /** No inline script or style, nothing from elsewhere, no framing. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
    /** Swagger UI sets inline styles from its own script: loosened for its pages only. */
    static final String CSP_SWAGGER = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static final String[] PUBLIC = {"/", "/login", "/login/card", "/logout/done", "/error", "/ca/**", "/crl/**",
            "/ocsp", "/ocsp/**", "/actuator/health", "/actuator/health/**", "/css/**", "/js/**", "/img/**",
            "/favicon.ico", "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/webjars/**",
            "/.well-known/est/**", "/acme/**", "/certdc/**", "/revocation"};

    /**
     * No Spring Security observations: they only feed tracing, which the platform does not use. Without this bean
     * every filter of the chain is wrapped in an observing decorator, even when a predicate drops the observations
     * themselves; {@code http.server.requests} metrics stay.
     */
    @Bean
    static SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, CardAuthenticator cards, SessionLogin sessions,
                                            LoginAudit audit, Problems problems, DemoMode demo,
                                            OidcProperties oidc, UserDirectory directory, Clock clock) throws Exception {
        RequestMatcher api = request -> path(request).startsWith("/api/");
        RequestMatcher swagger = request -> path(request).startsWith("/swagger-ui");
        http.authorizeHttpRequests(requests -> {
                    requests.requestMatchers(PUBLIC).permitAll()
                            .requestMatchers(org.springframework.http.HttpMethod.POST, "/api/v1/revocations",
                                    "/api/v1/verification").permitAll();
                    if (demo.enabled()) {
                        requests.requestMatchers("/demo/**").permitAll();
                    }
                    // metrics (everything but health) are the operators'
                    requests.requestMatchers("/actuator", "/actuator/**").hasRole(Role.OPERATOR.name());
                    requests.requestMatchers("/app/registry/**").hasRole(Role.OPERATOR.name())
                            .anyRequest().authenticated();
                })
                .securityContext(context -> context.securityContextRepository(sessions.repository()))
                // Sessions are created only when needed (the default) and logins save their context themselves
                // (SessionLogin, new session id). Setting a session creation policy here would add Spring's
                // SessionManagementFilter, which stores the context of every stateless API call in a new HTTP
                // session: one session per call, kept 30 minutes — the heap grew with the request rate under load.
                .sessionManagement(session -> session.requireExplicitAuthenticationStrategy(true))
                .addFilterBefore(new CardAuthenticationFilter(cards, sessions, audit), X509AuthenticationFilter.class)
                .csrf(csrf -> csrf.ignoringRequestMatchers(SecurityConfiguration::jsonApiCall)
                        .ignoringRequestMatchers("/ocsp", "/ocsp/**", "/.well-known/est/**", "/acme/**",
                                "/api/v1/revocations", "/api/v1/verification"))
                .exceptionHandling(errors -> errors
                        .defaultAuthenticationEntryPointFor(problemEntryPoint(problems), api)
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
                                request -> true)
                        .defaultAccessDeniedHandlerFor(problemAccessDenied(problems), api)
                        .defaultAccessDeniedHandlerFor(new AccessDeniedHandlerImpl(), request -> true))
                .headers(headers -> headers
                        .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000))
                        .frameOptions(frame -> frame.deny())
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN))
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(request -> !swagger.matches(request),
                                new StaticHeadersWriter("Content-Security-Policy", CSP)))
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(swagger,
                                new StaticHeadersWriter("Content-Security-Policy", CSP_SWAGGER)))
                        .addHeaderWriter(new StaticHeadersWriter("Permissions-Policy",
                                "camera=(), microphone=(), geolocation=()")))
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/?logout")
                        .deleteCookies("JSESSIONID"))
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable());
        if (oidc.enabled()) {
            PscClientRegistrations registrations = new PscClientRegistrations(oidc);
            DefaultOAuth2AuthorizationRequestResolver resolver =
                    new DefaultOAuth2AuthorizationRequestResolver(registrations, "/oauth2/authorization");
            resolver.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce()
                    .andThen(request -> request.additionalParameters(parameters -> {
                        if (oidc.acrValues() != null && !oidc.acrValues().isBlank()) {
                            parameters.put("acr_values", oidc.acrValues());
                        }
                    })));
            http.addFilterBefore(new OidcAvailabilityFilter(registrations, audit),
                    org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter.class);
            http.oauth2Login(login -> login
                    .clientRegistrationRepository(registrations)
                    .loginPage("/login")
                    .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(resolver))
                    .userInfoEndpoint(userInfo -> userInfo.oidcUserService(new PscUserService(oidc, directory, clock)))
                    .successHandler((request, response, authentication) -> {
                        OpenIgcUser user = ((PscUserService.PscUser) authentication.getPrincipal()).user();
                        sessions.login(request, response, user, LoginMethod.OIDC);
                        response.sendRedirect(request.getContextPath() + "/app");
                    })
                    .failureHandler((request, response, exception) -> {
                        String reason = exception instanceof org.springframework.security.oauth2.core.OAuth2AuthenticationException oauth
                                ? oauth.getError().getErrorCode() : "login.refused.oidc";
                        audit.refused(request, null, LoginMethod.OIDC, reason, null);
                        request.getSession(true).setAttribute(CardAuthenticationFilter.SESSION_REFUSAL,
                                reason.startsWith("login.refused.") ? reason : "login.refused.oidc");
                        response.sendRedirect(request.getContextPath() + "/login?error");
                    }));
        }
        return http.build();
    }

    /** A call under /api/ whose body is declared JSON: it cannot come from a cross-site form (see class comment). */
    static boolean jsonApiCall(HttpServletRequest request) {
        if (!path(request).startsWith("/api/") || request.getContentType() == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(request.getContentType());
            return type.getType().equals("application")
                    && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    private static AuthenticationEntryPoint problemEntryPoint(Problems problems) {
        return (HttpServletRequest request, HttpServletResponse response, AuthenticationException e) -> {
            Object refusal = request.getAttribute(CardAuthenticationFilter.REFUSAL);
            String code = refusal != null ? refusal.toString() : "unauthenticated";
            problems.write(response, request, HttpStatus.UNAUTHORIZED, code,
                    "Log in with a card (TLS client certificate) or Pro Santé Connect");
        };
    }

    private static AccessDeniedHandler problemAccessDenied(Problems problems) {
        return (request, response, e) -> {
            boolean csrf = e instanceof CsrfException;
            writeForbidden(problems, request, response, csrf ? "csrf.invalid" : "forbidden",
                    csrf ? "Missing or invalid CSRF token; API calls send Content-Type: application/json"
                            : "You are not allowed to do this");
        };
    }

    private static void writeForbidden(Problems problems, HttpServletRequest request, HttpServletResponse response,
                                       String code, String detail) throws IOException {
        problems.write(response, request, HttpStatus.FORBIDDEN, code, detail);
    }
}
