package org.openigc.server.est;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.openigc.ca.Environment;
import org.openigc.ca.ProfileId;
import org.openigc.server.authority.Channel;
import org.openigc.server.certificates.CertificateService;
import org.openigc.server.certificates.CertificateView;
import org.openigc.server.certificates.OrderException;
import org.openigc.server.certificates.OrderRequest;
import org.openigc.server.certificates.Requester;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** EST enrollment (one-time token) and re-enrollment (the active certificate over mutual TLS). */
@Service
class EstService {
    private final EstTokens tokens;
    private final CertificateService certificates;

    EstService(EstTokens tokens, CertificateService certificates) {
        this.tokens = tokens;
        this.certificates = certificates;
    }

    /** Short alias of {@code serv-ssl-serveur}, for EST and ACME. */
    static final String SERV_SSL_ALIAS = "serv-ssl";

    record Label(Environment environment, ProfileId profile) {
        static Optional<Label> parse(String label) {
            if (label == null) {
                return Optional.empty();
            }
            boolean test = label.startsWith("test-");
            String profile = test ? label.substring(5) : label;
            // issue 8 spells the SERV SSL_SERVEUR label "serv-ssl": accepted as a short alias
            if (SERV_SSL_ALIAS.equals(profile)) {
                profile = ProfileId.SERV_SSL_SERVEUR.label();
            }
            return ProfileId.fromLabel(profile)
                    .map(p -> new Label(test ? Environment.TEST : Environment.PRODUCTION, p));
        }
    }

    /** Everything or nothing: a refused CSR leaves the token unused. */
    @Transactional
    List<X509Certificate> enroll(Label label, String token, String csrPem) {
        EstTokens.Token usable = tokens.lockUsable(token)
                .orElseThrow(() -> new EstException(401, "unknown, used or expired enrollment token"));
        if (usable.environment() != label.environment() || usable.profile() != label.profile()) {
            throw new EstException(401, "this enrollment token is not valid for this label");
        }
        Requester requester = new Requester(usable.createdBy(), "EST", true, false);
        OrderRequest request = new OrderRequest(usable.environment().name(), usable.profile().offer().name(),
                usable.profile().usage().name(), usable.idNatStruct(), usable.serviceApplicatif(), null,
                usable.actorEmail(), null, csrPem, null, true, null);
        CertificateView view = issue(() -> certificates.issueForAutomation(requester, request, Channel.EST));
        tokens.markUsed(usable.id(), view.id());
        return certificates.chainForAutomation(view.id());
    }

    @Transactional
    List<X509Certificate> reenroll(Label label, X509Certificate presented, String csrPem) {
        // the label is checked before anything is issued
        CertificateView view = issue(() -> certificates.renewForAutomation(presented, csrPem, Channel.EST,
                label.environment().name(), label.profile().name()));
        return certificates.chainForAutomation(view.id());
    }

    private static CertificateView issue(java.util.function.Supplier<CertificateView> issuance) {
        try {
            return issuance.get();
        } catch (OrderException e) {
            String detail = e.violations().isEmpty() ? e.getMessage()
                    : e.violations().getFirst().code() + ": " + e.violations().getFirst().message();
            throw new EstException(switch (e.kind()) {
                case NOT_FOUND, FORBIDDEN -> 401;
                case TOO_MANY_REQUESTS -> 503;
                default -> 400;
            }, detail);
        }
    }
}
