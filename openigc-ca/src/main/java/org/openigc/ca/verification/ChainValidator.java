package org.openigc.ca.verification;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;

/**
 * RFC 5280 path validation of a leaf through one known intermediate to one trust anchor, at a given instant, with
 * the JDK's PKIX validator. Revocation is left to the caller (OCSP / CRL through {@link OcspExchange} and
 * {@link CrlCheck}), which gives it control over freshness and caching.
 */
public final class ChainValidator {
    private ChainValidator() {
    }

    /**
     * @param leaf         the certificate to validate
     * @param intermediate the CA expected to have issued it (itself issued by {@code root})
     * @param root         the trust anchor
     * @throws VerificationException {@link VerificationFailure#EXPIRED} / {@link VerificationFailure#NOT_YET_VALID}
     *                               for the leaf's own validity, {@link VerificationFailure#UNTRUSTED} for anything else
     */
    public static void validate(X509Certificate leaf, X509Certificate intermediate, X509Certificate root, Instant at) {
        Date date = Date.from(at);
        if (date.after(leaf.getNotAfter())) {
            throw new VerificationException(VerificationFailure.EXPIRED,
                    "certificate expired at " + leaf.getNotAfter().toInstant());
        }
        if (date.before(leaf.getNotBefore())) {
            throw new VerificationException(VerificationFailure.NOT_YET_VALID,
                    "certificate not valid before " + leaf.getNotBefore().toInstant());
        }
        if (!leaf.getIssuerX500Principal().equals(intermediate.getSubjectX500Principal())) {
            throw new VerificationException(VerificationFailure.UNTRUSTED, "certificate not issued by "
                    + intermediate.getSubjectX500Principal().getName());
        }
        try {
            List<X509Certificate> path = new ArrayList<>(List.of(leaf));
            if (!intermediate.equals(root)) {
                path.add(intermediate);
            }
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(date);
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
        } catch (CertPathValidatorException e) {
            throw new VerificationException(VerificationFailure.UNTRUSTED,
                    "certificate path not valid: " + e.getMessage(), e);
        } catch (InvalidAlgorithmParameterException e) {
            throw new VerificationException(VerificationFailure.UNTRUSTED, "no usable trust anchor", e);
        } catch (GeneralSecurityException e) {
            throw new VerificationException(VerificationFailure.UNTRUSTED, "certificate path not readable", e);
        }
    }
}
