package org.openigc.certdc.account;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openigc.ca.verification.VerificationException;
import org.openigc.ca.verification.VerificationFailure;
import org.openigc.certdc.CertDcAudit;
import org.openigc.certdc.Problems;
import org.openigc.certdc.trust.ClientCertificateVerifier;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The web service's only authentication: the TLS client certificate, an ORG AUTH_CLI certificate of an OpenIGC
 * ORGANISATIONS CA, valid and not revoked (OCSP). No certificate → 401; any other refusal → 403 (503 when the
 * revocation status cannot be obtained); each as problem+json naming the reason, before the body is read.
 */
public final class SiCertificateFilter extends OncePerRequestFilter {
    public static final String ROLE = "ROLE_CERTDC_SI";
    private final ClientCertificateVerifier verifier;
    private final CertDcAudit audit;

    public SiCertificateFilter(ClientCertificateVerifier verifier, CertDcAudit audit) {
        this.verifier = verifier;
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<X509Certificate> certificate = ClientCertificates.of(request);
        if (certificate.isEmpty()) {
            audit.recordAs("anonymous", request.getRemoteAddr(), "certdc.ws.refused", "certdc-deposit", null,
                    Map.of("reason", "certificate.missing"));
            response.setHeader("WWW-Authenticate", "Mutual-TLS");
            Problems.write(response, 401, "certificate.missing", "Client certificate required",
                    "Call the CertDC web service over mutual TLS with your SI's ORG AUTH_CLI certificate from OpenIGC.");
            return;
        }
        ClientCertificateVerifier.VerifiedOrganisation caller;
        try {
            caller = verifier.organisation(certificate.get());
        } catch (VerificationException e) {
            audit.recordAs("anonymous", request.getRemoteAddr(), "certdc.ws.refused", "certdc-deposit", null,
                    Map.of("reason", e.failure().code(), "serial", certificate.get().getSerialNumber().toString(16)));
            boolean unavailable = e.failure() == VerificationFailure.STATUS_UNAVAILABLE;
            if (unavailable) {
                response.setHeader("Retry-After", "5");
            }
            Problems.write(response, unavailable ? 503 : 403, e.failure().code(), title(e.failure()), detail(e.failure()));
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        PreAuthenticatedAuthenticationToken authentication = new PreAuthenticatedAuthenticationToken(
                new SiPrincipal(caller), certificate.get(), List.of(new SimpleGrantedAuthority(ROLE)));
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    /** The SI's certificate as the audit trail names it: structure and serial, never a person. */
    public record SiPrincipal(ClientCertificateVerifier.VerifiedOrganisation certificate) implements java.security.Principal {
        @Override
        public String getName() {
            return "si:" + certificate.structure().format() + "/" + certificate.serialNumber();
        }
    }

    private static String title(VerificationFailure failure) {
        return switch (failure) {
            case UNTRUSTED -> "Certificate not issued by OpenIGC";
            case EXPIRED -> "Certificate expired";
            case NOT_YET_VALID -> "Certificate not yet valid";
            case WRONG_PROFILE -> "Not an ORG AUTH_CLI certificate";
            case REVOKED -> "Certificate revoked";
            case STATUS_UNKNOWN -> "Certificate unknown to OpenIGC";
            case STATUS_UNAVAILABLE -> "Certificate status unavailable";
        };
    }

    private static String detail(VerificationFailure failure) {
        return switch (failure) {
            case UNTRUSTED -> "The client certificate must be issued by OpenIGC's ORGANISATIONS CA (TEST for the "
                    + "sandbox, PRODUCTION for production).";
            case EXPIRED, NOT_YET_VALID -> "The client certificate is outside its validity period.";
            case WRONG_PROFILE -> "The web service accepts ORG AUTH_CLI certificates only (clientAuth, OU=idNatStruct).";
            case REVOKED -> "The client certificate has been revoked.";
            case STATUS_UNKNOWN -> "OpenIGC's OCSP responder does not know this certificate.";
            case STATUS_UNAVAILABLE -> "The revocation status could not be checked; try again shortly.";
        };
    }
}
