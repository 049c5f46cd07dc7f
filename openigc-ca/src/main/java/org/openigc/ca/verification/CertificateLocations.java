package org.openigc.ca.verification;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

/** Where a certificate says its status can be checked: the OCSP URL of its AIA, the URLs of its CRL distribution points. */
public final class CertificateLocations {
    private CertificateLocations() {
    }

    /** The first HTTP(S) OCSP responder URL of the Authority Information Access extension. */
    public static Optional<String> ocspUrl(X509Certificate certificate) {
        AuthorityInformationAccess aia = AuthorityInformationAccess.fromExtensions(extensions(certificate));
        if (aia == null) {
            return Optional.empty();
        }
        for (AccessDescription description : aia.getAccessDescriptions()) {
            if (X509ObjectIdentifiers.id_ad_ocsp.equals(description.getAccessMethod())) {
                Optional<String> url = httpUrl(description.getAccessLocation());
                if (url.isPresent()) {
                    return url;
                }
            }
        }
        return Optional.empty();
    }

    /** The HTTP(S) URLs of the CRL distribution points, in certificate order. */
    public static List<String> crlUrls(X509Certificate certificate) {
        CRLDistPoint points = CRLDistPoint.fromExtensions(extensions(certificate));
        List<String> urls = new ArrayList<>();
        if (points == null) {
            return urls;
        }
        for (DistributionPoint point : points.getDistributionPoints()) {
            DistributionPointName name = point.getDistributionPoint();
            if (name != null && name.getType() == DistributionPointName.FULL_NAME) {
                for (GeneralName generalName : GeneralNames.getInstance(name.getName()).getNames()) {
                    httpUrl(generalName).ifPresent(urls::add);
                }
            }
        }
        return urls;
    }

    private static Optional<String> httpUrl(GeneralName name) {
        if (name.getTagNo() != GeneralName.uniformResourceIdentifier) {
            return Optional.empty();
        }
        String url = ASN1IA5String.getInstance(name.getName()).getString();
        return url.startsWith("http://") || url.startsWith("https://") ? Optional.of(url) : Optional.empty();
    }

    private static Extensions extensions(X509Certificate certificate) {
        try {
            return new JcaX509CertificateHolder(certificate).getExtensions();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("unreadable certificate", e);
        }
    }

    static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("unreadable certificate", e);
        }
    }
}
