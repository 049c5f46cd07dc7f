package org.openigc.server.certificates;

import org.openigc.ca.CaException;

/** CSR problems explained in plain French, as the wizard and the API show them. */
final class CsrMessages {
    private CsrMessages() {
    }

    static String french(CaException e) {
        return switch (e.errorCode()) {
            case CSR_UNPARSABLE -> "la requête de certificat (CSR) est illisible : fournissez un PKCS#10 en PEM ou en DER";
            case CSR_WRONG_PEM_TYPE -> "ce fichier PEM n'est pas une requête de certificat (bloc « CERTIFICATE REQUEST » attendu)";
            case CSR_BAD_SIGNATURE -> "la signature de la CSR ne correspond pas à sa clé publique";
            case CSR_RSA_TOO_SHORT -> "clé RSA trop courte : 2048 bits au minimum";
            case CSR_EC_CURVE_NOT_ALLOWED -> "courbe elliptique refusée : seules P-256 et P-384 sont acceptées";
            case CSR_KEY_TYPE_NOT_ALLOWED -> "type de clé refusé : RSA (2048 bits ou plus) ou EC P-256/P-384";
            case CSR_WEAK_SIGNATURE_ALGORITHM -> "la CSR est signée avec SHA-1 ou MD5 : utilisez SHA-256 ou plus fort";
            case CSR_TOO_LARGE -> "la CSR est trop volumineuse (64 Kio au plus)";
            default -> e.getMessage();
        };
    }
}
