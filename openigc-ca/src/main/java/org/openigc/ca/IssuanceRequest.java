package org.openigc.ca;

import java.security.PublicKey;
import java.time.Instant;
import java.util.List;

/**
 * One certificate to issue: the rules a front end (portal, EST, ACME) has settled, applied by the core in one
 * fixed order.
 *
 * @param notAfter null for the profile's validity from {@code notBefore}
 */
public record IssuanceRequest(PublicKey publicKey, SubjectData subject, List<String> dnsNames,
                              List<String> emailAddresses, Instant notBefore, Instant notAfter) {
    public IssuanceRequest {
        dnsNames = dnsNames == null ? List.of() : List.copyOf(dnsNames);
        emailAddresses = emailAddresses == null ? List.of() : List.copyOf(emailAddresses);
    }

    public static IssuanceRequest of(PublicKey publicKey, SubjectData subject, Instant notBefore) {
        return new IssuanceRequest(publicKey, subject, List.of(), List.of(), notBefore, null);
    }

    public IssuanceRequest withDnsNames(List<String> names) {
        return new IssuanceRequest(publicKey, subject, names, emailAddresses, notBefore, notAfter);
    }

    public IssuanceRequest withEmailAddresses(List<String> emails) {
        return new IssuanceRequest(publicKey, subject, dnsNames, emails, notBefore, notAfter);
    }

    public IssuanceRequest withNotAfter(Instant end) {
        return new IssuanceRequest(publicKey, subject, dnsNames, emailAddresses, notBefore, end);
    }
}
