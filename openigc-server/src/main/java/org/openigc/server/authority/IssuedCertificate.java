package org.openigc.server.authority;

import java.security.cert.X509Certificate;
import java.util.UUID;

/** A certificate signed and recorded in the current transaction. */
public record IssuedCertificate(UUID id, String serialNumber, String caName, X509Certificate certificate) {
}
