package org.openigc.certdc.account;

import java.security.cert.X509Certificate;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

/** The TLS client certificate of a request, as the servlet container exposes it. */
public final class ClientCertificates {
    public static final String ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

    private ClientCertificates() {
    }

    public static Optional<X509Certificate> of(HttpServletRequest request) {
        if (request.getAttribute(ATTRIBUTE) instanceof X509Certificate[] chain && chain.length > 0) {
            return Optional.of(chain[0]);
        }
        return Optional.empty();
    }
}
