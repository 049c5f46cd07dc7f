package org.openigc.ca.verification;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.openigc.identifiers.IdNatPs;
import org.openigc.identifiers.IdNatStruct;

/**
 * What a relying party reads from the client certificates of the national system (DOMAIN §2-3): the structure of
 * an ORG AUTH_CLI certificate ({@code OU=<idNatStruct>}) and the person of a card authentication certificate
 * ({@code CN=<idNatPS>+SN=<nom>+GN=<prénom>}), each after checking the certificate is of that kind.
 */
public final class ClientCertificates {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final int DIGITAL_SIGNATURE = 0;

    private ClientCertificates() {
    }

    /**
     * The idNatStruct of an ORG AUTH_CLI certificate: digitalSignature, clientAuth only (a SERV SSL certificate,
     * which is also clientAuth, is refused), no subject alternative name, one OU that is an idNatStruct.
     *
     * @throws VerificationException {@link VerificationFailure#WRONG_PROFILE}
     */
    public static IdNatStruct organisationOf(X509Certificate certificate) {
        requireClientAuthentication(certificate);
        List<String> usages = extendedKeyUsages(certificate);
        if (usages.contains(SERVER_AUTH)) {
            throw wrongProfile("a server certificate is not an ORG AUTH_CLI certificate");
        }
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                throw wrongProfile("an ORG AUTH_CLI certificate carries no subject alternative name");
            }
        } catch (CertificateParsingException e) {
            throw wrongProfile("unreadable subject alternative names");
        }
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        RDN[] units = subject.getRDNs(BCStyle.OU);
        if (units.length != 1 || units[0].isMultiValued()) {
            throw wrongProfile("an ORG certificate has exactly one OU, its idNatStruct");
        }
        if (subject.getRDNs(BCStyle.CN).length != 1) {
            throw wrongProfile("an ORG certificate names its service applicatif in one CN");
        }
        String ou = text(units[0].getFirst().getValue());
        try {
            return IdNatStruct.parse(ou);
        } catch (IllegalArgumentException e) {
            throw wrongProfile("OU is not an idNatStruct: " + e.getMessage());
        }
    }

    /**
     * The idNatPS of a card authentication certificate: digitalSignature, clientAuth, and the multi-valued RDN
     * {@code CN=<idNatPS>+SN+GN}.
     *
     * @throws VerificationException {@link VerificationFailure#WRONG_PROFILE}
     */
    public static IdNatPs cardHolderOf(X509Certificate certificate) {
        requireClientAuthentication(certificate);
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs()) {
            if (!rdn.isMultiValued()) {
                continue;
            }
            Optional<String> cn = value(rdn, BCStyle.CN);
            if (cn.isPresent() && value(rdn, BCStyle.SURNAME).isPresent() && value(rdn, BCStyle.GIVENNAME).isPresent()) {
                try {
                    return IdNatPs.parse(cn.get());
                } catch (IllegalArgumentException e) {
                    throw wrongProfile("CN is not an idNatPS: " + e.getMessage());
                }
            }
        }
        throw wrongProfile("a card certificate names its holder as CN=<idNatPS>+SN=<name>+GN=<first name>");
    }

    /** The holder's names of a card certificate ({@code SN}, {@code GN}), for display. */
    public static Optional<String[]> cardHolderNames(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        for (RDN rdn : subject.getRDNs()) {
            Optional<String> last = value(rdn, BCStyle.SURNAME);
            Optional<String> first = value(rdn, BCStyle.GIVENNAME);
            if (last.isPresent() && first.isPresent()) {
                return Optional.of(new String[] {last.get(), first.get()});
            }
        }
        return Optional.empty();
    }

    private static Optional<String> value(RDN rdn, ASN1ObjectIdentifier type) {
        for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
            if (type.equals(value.getType())) {
                return Optional.of(text(value.getValue()));
            }
        }
        return Optional.empty();
    }

    private static String text(org.bouncycastle.asn1.ASN1Encodable value) {
        return value instanceof ASN1String string ? string.getString() : IETFUtils.valueToString(value);
    }

    private static void requireClientAuthentication(X509Certificate certificate) {
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage == null || !keyUsage[DIGITAL_SIGNATURE]) {
            throw wrongProfile("an authentication certificate has the digitalSignature key usage");
        }
        if (!extendedKeyUsages(certificate).contains(CLIENT_AUTH)) {
            throw wrongProfile("an authentication certificate has the clientAuth extended key usage");
        }
        if (certificate.getBasicConstraints() >= 0) {
            throw wrongProfile("a CA certificate is not a client certificate");
        }
    }

    private static List<String> extendedKeyUsages(X509Certificate certificate) {
        try {
            List<String> usages = certificate.getExtendedKeyUsage();
            return usages == null ? List.of() : usages;
        } catch (CertificateParsingException e) {
            throw wrongProfile("unreadable extended key usage");
        }
    }

    private static VerificationException wrongProfile(String message) {
        return new VerificationException(VerificationFailure.WRONG_PROFILE, message);
    }
}
