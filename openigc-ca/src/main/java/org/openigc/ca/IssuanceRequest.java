package org.openigc.ca;

import java.security.PublicKey;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * One certificate to issue: the rules a front end (portal, EST, ACME) has settled, applied by the core in one
 * fixed order.
 *
 * @param keyInfo the key as the certificate carries it, or null to take {@code publicKey.getEncoded()}; the profile
 *                checker compares the certificate's key with {@code publicKey}, so a mismatch is refused
 * @param notAfter null for the profile's validity from {@code notBefore}
 */
public record IssuanceRequest(PublicKey publicKey, SubjectPublicKeyInfo keyInfo, SubjectData subject,
                              List<String> dnsNames, List<String> emailAddresses, Instant notBefore, Instant notAfter) {
    public IssuanceRequest {
        dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
        emailAddresses = emailAddresses == null ? List.of() : List.copyOf(emailAddresses);
    }

    public IssuanceRequest(PublicKey publicKey, SubjectData subject, List<String> dnsNames,
                           List<String> emailAddresses, Instant notBefore, Instant notAfter) {
        this(publicKey, null, subject, dnsNames, emailAddresses, notBefore, notAfter);
    }

    public static IssuanceRequest of(PublicKey publicKey, SubjectData subject, Instant notBefore) {
        return new IssuanceRequest(publicKey, null, subject, List.of(), List.of(), notBefore, null);
    }

    /** For the key of a checked CSR, whose parsed key structure the certificate then reuses. */
    public static IssuanceRequest of(CheckedCsr csr, SubjectData subject, Instant notBefore) {
        return new IssuanceRequest(csr.publicKey(), csr.keyInfo(), subject, List.of(), List.of(), notBefore, null);
    }

    public IssuanceRequest withDnsNames(List<String> names) {
        return new IssuanceRequest(publicKey, keyInfo, subject, names, emailAddresses, notBefore, notAfter);
    }

    public IssuanceRequest withEmailAddresses(List<String> emails) {
        return new IssuanceRequest(publicKey, keyInfo, subject, dnsNames, emails, notBefore, notAfter);
    }

    public IssuanceRequest withNotAfter(Instant end) {
        return new IssuanceRequest(publicKey, keyInfo, subject, dnsNames, emailAddresses, notBefore, end);
    }
}
