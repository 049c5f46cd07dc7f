package org.openigc.ca;

import java.util.List;

/**
 * What an OCSP request asks, once {@link OcspRequests#parse} has accepted it.
 *
 * @param ids   one per certificate asked about, in request order; never empty
 * @param nonce the nonce extension's extnValue exactly as received, to echo in the response; null when absent
 */
public record ParsedOcspRequest(List<OcspCertId> ids, byte[] nonce) {
    public ParsedOcspRequest {
        ids = List.copyOf(ids);
        nonce = nonce == null ? null : nonce.clone();
    }

    @Override
    public byte[] nonce() {
        return nonce == null ? null : nonce.clone();
    }
}
