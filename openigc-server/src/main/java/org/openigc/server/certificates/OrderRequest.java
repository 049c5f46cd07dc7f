package org.openigc.server.certificates;

import java.util.List;

/**
 * A certificate order as the API and the wizard submit it (SPEC §7). Exactly one of {@code csr} and
 * {@code generateKey} is given.
 */
public record OrderRequest(String environment, String offer, String usage, String structure,
                           String serviceApplicatif, List<String> dnsNames, String actorEmail, String ccEmail,
                           String csr, GenerateKey generateKey, Boolean termsAccepted, String revocationCode) {

    /** Online key generation: the key pair is made here and returned once in a PKCS#12 under this password. */
    public record GenerateKey(String algorithm, String password) {
    }
}
