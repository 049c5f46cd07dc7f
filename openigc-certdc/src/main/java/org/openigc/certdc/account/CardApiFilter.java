package org.openigc.certdc.account;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openigc.ca.verification.VerificationException;
import org.openigc.ca.verification.VerificationFailure;
import org.openigc.certdc.CertDcException;
import org.openigc.certdc.Problems;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The doctors' JSON API ({@code /certdc/api/**}) also accepts a card on each request, without a session: when no
 * one is logged in and the request carries a client certificate, that card authenticates this request only.
 */
public final class CardApiFilter extends OncePerRequestFilter {
    private final CardAuthentication cards;

    public CardApiFilter(CardAuthentication cards) {
        this.cards = cards;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(request.getContextPath() + "/certdc/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        Optional<java.security.cert.X509Certificate> certificate = ClientCertificates.of(request);
        if ((current != null && current.getPrincipal() instanceof CertDcUser) || certificate.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        CertDcUser user;
        try {
            user = cards.authenticate(certificate.get(), request.getRemoteAddr());
        } catch (VerificationException e) {
            boolean unavailable = e.failure() == VerificationFailure.STATUS_UNAVAILABLE;
            Problems.write(response, unavailable ? 503 : 403, e.failure().code(), "Card refused", e.getMessage());
            return;
        } catch (CertDcException e) {
            Problems.write(response, 403, e.code(), "Card refused", "This card holder has no CertDC access.");
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null, user.authorities()));
        SecurityContext previous = SecurityContextHolder.getContext();
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }
}
