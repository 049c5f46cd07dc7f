package org.openigc.certdc.account;

import java.security.cert.X509Certificate;
import java.util.Map;

import org.openigc.ca.verification.VerificationException;
import org.openigc.certdc.CertDcAudit;
import org.openigc.certdc.CertDcException;
import org.openigc.certdc.trust.ClientCertificateVerifier;

/**
 * Card login (CPS): the TLS client certificate must be a card authentication certificate of an OpenIGC PERSONNES
 * CA, valid and not revoked (OCSP), whose idNatPS (the CN of {@code CN=<idNatPS>+SN+GN}) is a CertDC doctor or
 * administrator. A card of the TEST hierarchy opens test (sandbox) data only, never production data.
 */
public final class CardAuthentication {
    private final ClientCertificateVerifier verifier;
    private final AccountRepository accounts;
    private final CertDcAudit audit;

    public CardAuthentication(ClientCertificateVerifier verifier, AccountRepository accounts, CertDcAudit audit) {
        this.verifier = verifier;
        this.accounts = accounts;
        this.audit = audit;
    }

    /**
     * @throws VerificationException the certificate is not an acceptable card (code says why)
     * @throws CertDcException       FORBIDDEN {@code certdc.card.unknown}: a valid card of nobody CertDC knows
     */
    public CertDcUser authenticate(X509Certificate certificate, String clientAddress) {
        ClientCertificateVerifier.VerifiedCard card;
        try {
            card = verifier.card(certificate);
        } catch (VerificationException e) {
            audit.recordAs("anonymous", clientAddress, "certdc.login.refused", "certdc-account", null,
                    Map.of("method", "card", "reason", e.failure().code()));
            throw e;
        }
        Account account = accounts.byIdNatPs(card.holder().format())
                .filter(a -> a.enabled() && (a.kind() == AccountKind.DOCTOR || a.kind() == AccountKind.ADMIN))
                .orElseThrow(() -> {
                    audit.recordAs("anonymous", clientAddress, "certdc.login.refused", "certdc-account", null,
                            Map.of("method", "card", "reason", "unknownHolder"));
                    return new CertDcException(CertDcException.Kind.FORBIDDEN, "certdc.card.unknown",
                            "this card holder has no CertDC access");
                });
        audit.recordAs(account.login(), clientAddress, "certdc.login.succeeded", "certdc-account",
                account.id().toString(), Map.of("method", "card"));
        return AccountService.cardUser(account, card.environment() == org.openigc.ca.Environment.TEST);
    }
}
