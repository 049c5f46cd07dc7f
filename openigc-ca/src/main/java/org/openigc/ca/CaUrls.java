package org.openigc.ca;

/** Where relying parties find a CA's CRL, OCSP responder and certificate; written into every certificate it issues. */
public record CaUrls(String crlUrl, String ocspUrl, String caIssuersUrl) {

    /** The platform's layout: {@code <base>/crl/<name>.crl}, {@code <base>/ocsp}, {@code <base>/ca/<name>.crt}. */
    public static CaUrls under(String httpBaseUrl, String caName) {
        String base = httpBaseUrl.endsWith("/") ? httpBaseUrl.substring(0, httpBaseUrl.length() - 1) : httpBaseUrl;
        return new CaUrls(base + "/crl/" + caName + ".crl", base + "/ocsp", base + "/ca/" + caName + ".crt");
    }
}
