package org.openigc.server.certificates;

/** A renewal takes a new key: a CSR or online generation, and optionally a new revocation code. */
public record RenewalRequest(String csr, OrderRequest.GenerateKey generateKey, Boolean termsAccepted,
                             String revocationCode) {
}
