package org.openigc.server.security;

import java.io.IOException;
import java.security.cert.X509Certificate;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Card login: the TLS client certificate (wanted, not required, by the HTTPS connector) authenticates the request
 * when it is a valid card (see {@link CardAuthenticator}).
 *
 * <ul>
 *   <li>Browsers: the login is kept in the session; a <em>different</em> card on the same session starts a new
 *   login, so a card swapped in the reader never inherits the previous holder's session.</li>
 *   <li>API callers without a session (curl, scripts): every request is authenticated by its certificate and no
 *   session is created, so an opposed card or a revoked certificate is refused from the next request on.</li>
 *   <li>A refused card leaves the request anonymous (public pages still work); protected paths then answer 401
 *   with the refusal reason, which is kept in the request attribute {@link #REFUSAL}.</li>
 * </ul>
 * Machine-protocol paths (OCSP, EST, ACME, CertDC web service) present organisation certificates that are not
 * cards: the filter does not look at them there.
 */
class CardAuthenticationFilter extends OncePerRequestFilter {
    static final String REFUSAL = CardAuthenticationFilter.class.getName() + ".refusal";
    static final String SESSION_REFUSAL = "openigc.login.refusal";
    private static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

    private final CardAuthenticator authenticator;
    private final SessionLogin sessions;
    private final LoginAudit audit;

    CardAuthenticationFilter(CardAuthenticator authenticator, SessionLogin sessions, LoginAudit audit) {
        this.authenticator = authenticator;
        this.sessions = sessions;
        this.audit = audit;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.equals("/") || path.startsWith("/app") || path.startsWith("/login") || path.startsWith("/demo/")
                || (path.startsWith("/api/") && !path.equals("/api/v1/revocations") && !path.equals("/api/v1/verification")));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        X509Certificate[] certificates = (X509Certificate[]) request.getAttribute(CERTIFICATES);
        if (certificates != null && certificates.length > 0 && needsLogin(certificates[0])) {
            CardAuthenticator.Result result = authenticator.authenticate(certificates);
            boolean browser = request.getSession(false) != null || !isApi(request);
            if (result.accepted()) {
                sessions.establish(request, response,
                        new OpenIgcAuthentication(result.user(), LoginMethod.CARD, result.fingerprint()), browser);
                // Browsers: every new session is audited. Stateless API calls: once per certificate and window.
                audit.login(request, result.user(), LoginMethod.CARD, browser ? null : result.fingerprint());
            } else {
                SecurityContextHolder.clearContext();
                if (request.getSession(false) != null) {
                    request.getSession().invalidate();
                }
                request.setAttribute(REFUSAL, result.refusal());
                if (!isApi(request)) {
                    request.getSession(true).setAttribute(SESSION_REFUSAL, result.refusal());
                }
                audit.refused(request, result.idNatPs(), LoginMethod.CARD, result.refusal(), result.fingerprint());
            }
        }
        chain.doFilter(request, response);
    }

    /** True unless the current session already belongs to this very card (or to a non-card login). */
    private static boolean needsLogin(X509Certificate presented) {
        Authentication current = SecurityContextHolder.getContext().getAuthentication();
        if (current instanceof OpenIgcAuthentication existing) {
            if (existing.method() != LoginMethod.CARD) {
                return false;
            }
            return !CardAuthenticator.fingerprint(presented).equals(existing.certificateFingerprint());
        }
        return true;
    }

    private static boolean isApi(HttpServletRequest request) {
        return request.getRequestURI().startsWith(request.getContextPath() + "/api/");
    }
}
