package org.openigc.server.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ahead of Spring Security's OIDC redirect: when the provider's metadata cannot be fetched (Pro Santé Connect down,
 * unreachable), the user is sent back to the login page with a clear message instead of the 500 that filter
 * answers on any error. The refusal is audited like any failed login.
 */
final class OidcAvailabilityFilter extends OncePerRequestFilter {
    private static final Logger log = LoggerFactory.getLogger(OidcAvailabilityFilter.class);
    static final String UNAVAILABLE = "login.refused.oidcUnavailable";

    private final PscClientRegistrations registrations;
    private final LoginAudit audit;

    OidcAvailabilityFilter(PscClientRegistrations registrations, LoginAudit audit) {
        this.registrations = registrations;
        this.audit = audit;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().substring(request.getContextPath().length()).startsWith("/oauth2/authorization/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            registrations.findByRegistrationId(OidcProperties.REGISTRATION_ID);
        } catch (RuntimeException e) {
            log.warn("event=oidc-unavailable reason={}", e.getClass().getSimpleName());
            audit.refused(request, null, LoginMethod.OIDC, UNAVAILABLE, "oidc-unavailable");
            request.getSession(true).setAttribute(CardAuthenticationFilter.SESSION_REFUSAL, UNAVAILABLE);
            response.sendRedirect(request.getContextPath() + "/login?error");
            return;
        }
        chain.doFilter(request, response);
    }
}
