package org.openigc.ca;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.TBSCertList;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V2TBSCertListGenerator;
import org.bouncycastle.operator.ContentSigner;

/**
 * Builds a signed X.509 v2 CRL (RFC 5280 §5): issuer = the CA's subject, AKI = the CA's SKI, a CRL number, and per
 * entry the revocation date and reason code.
 *
 * <p>Linear in the number of entries: a million take two or three seconds and fit, with the entry list, in a 1 GB
 * heap. BouncyCastle's {@code X509v2CRLBuilder} turns each revocation {@code Date} into a {@code Time} through one
 * {@code SimpleDateFormat} that formats and a second one that parses the result back to check it (6 s and gigabytes
 * of garbage for a million entries); so this class feeds BouncyCastle's own {@link V2TBSCertListGenerator} with
 * {@link Time}s made by the formatting-only constructors, then signs the TBSCertList and assembles the
 * CertificateList as {@code X509v2CRLBuilder} does.
 */
public final class CrlBuilder {
    private CrlBuilder() {
    }

    /**
     * @param crlNumber monotonically increasing per CA (the caller keeps the counter), at most 20 octets
     * @param entries   in the order they are to appear; an empty list gives a CRL without revokedCertificates
     * @return the DER encoding of the CertificateList
     */
    public static byte[] build(CaKey ca, BigInteger crlNumber, Instant thisUpdate, Instant nextUpdate,
                               List<RevokedEntry> entries) {
        if (crlNumber == null || crlNumber.signum() < 0 || crlNumber.bitLength() > 159) {
            // RFC 5280 §5.2.3: non-negative, at most 20 octets
            throw new CaException(CaErrorCode.REQUEST_INVALID, "CRL number must be non-negative and fit 20 octets");
        }
        if (thisUpdate == null || nextUpdate == null || !nextUpdate.isAfter(thisUpdate)) {
            throw new CaException(CaErrorCode.REQUEST_INVALID, "nextUpdate must be after thisUpdate");
        }
        // a HashSet keeps the duplicate check linear; the same serial twice is a bug upstream, not a CRL to publish
        Set<BigInteger> seen = new HashSet<>(Math.max(16, entries.size() * 4 / 3 + 1));
        for (RevokedEntry entry : entries) {
            if (!seen.add(entry.serial())) {
                throw new CaException(CaErrorCode.REQUEST_INVALID,
                        "serial " + entry.serial().toString(16) + " is listed twice");
            }
        }
        ContentSigner signer = ca.signer();
        V2TBSCertListGenerator tbs = new V2TBSCertListGenerator();
        tbs.setSignature(signer.getAlgorithmIdentifier());
        tbs.setIssuer(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()));
        tbs.setThisUpdate(time(thisUpdate));
        tbs.setNextUpdate(time(nextUpdate));
        for (RevokedEntry entry : entries) {
            // the generator leaves the reasonCode out for 0, as RFC 5280 §5.3.1 asks for unspecified, and shares
            // one encoded extension per reason
            tbs.addCRLEntry(new ASN1Integer(entry.serial()), time(entry.revokedAt()), entry.reason().code());
        }
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.authorityKeyIdentifier, false,
                    CertificateIssuer.authorityKeyIdentifier(ca.certificate()));
            extensions.addExtension(Extension.cRLNumber, false, new CRLNumber(crlNumber));
            tbs.setExtensions(extensions.generate());
            TBSCertList tbsCertList = tbs.generateTBSCertList();
            // encode the (large) TBS once and hand it to the signer in one call: BouncyCastle's encoder writes
            // tag and length bytes one at a time, which costs a native call per byte with a native provider
            byte[] tbsDer = tbsCertList.getEncoded(ASN1Encoding.DER);
            try (OutputStream out = signer.getOutputStream()) {
                out.write(tbsDer);
            }
            byte[] algorithm = signer.getAlgorithmIdentifier().getEncoded(ASN1Encoding.DER);
            byte[] signature = new DERBitString(signer.getSignature()).getEncoded(ASN1Encoding.DER);
            // CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue }, assembled around
            // the TBS bytes rather than encoding the million entries a second time
            int contentLength = tbsDer.length + algorithm.length + signature.length;
            java.io.ByteArrayOutputStream crl = new java.io.ByteArrayOutputStream(contentLength + 6);
            crl.write(0x30);
            writeDerLength(crl, contentLength);
            crl.write(tbsDer);
            crl.write(algorithm);
            crl.write(signature);
            return crl.toByteArray();
        } catch (IOException e) {
            throw new CaException(CaErrorCode.SIGNING_FAILED, "cannot build the CRL of " + ca.name(), e);
        }
    }

    /** RFC 5280 §5.1.2.4: UTCTime through 2049, GeneralizedTime from 2050; whole seconds, in Zulu time. */
    static Time time(Instant instant) {
        // formatted with java.time: BouncyCastle's Date constructors build a SimpleDateFormat for every call, which
        // dominated the time of a CRL with a million entries
        java.time.OffsetDateTime utc = instant.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC);
        int year = utc.getYear();
        boolean utcTime = year >= 1950 && year <= 2049;
        String text = year >= 0 && year <= 9999 ? digits(utc, utcTime)
                : (utcTime ? UTC_TIME : GENERALIZED_TIME).format(utc);
        // built from its DER bytes: the String constructors also parse the text back with a SimpleDateFormat
        byte[] der = new byte[2 + text.length()];
        der[0] = (byte) (utcTime ? 0x17 : 0x18);
        der[1] = (byte) text.length();
        for (int i = 0; i < text.length(); i++) {
            der[2 + i] = (byte) text.charAt(i);
        }
        try {
            return new Time(utcTime ? ASN1UTCTime.getInstance(der) : ASN1GeneralizedTime.getInstance(der));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot encode " + instant, e);
        }
    }

    /** YYMMDDHHMMSSZ or YYYYMMDDHHMMSSZ, the fields written as digits (a formatter costs more than the rest). */
    private static String digits(java.time.OffsetDateTime utc, boolean utcTime) {
        char[] text = new char[utcTime ? 13 : 15];
        int at = 0;
        if (!utcTime) {
            at = put(text, at, utc.getYear() / 100);
        }
        at = put(text, at, utc.getYear() % 100);
        at = put(text, at, utc.getMonthValue());
        at = put(text, at, utc.getDayOfMonth());
        at = put(text, at, utc.getHour());
        at = put(text, at, utc.getMinute());
        at = put(text, at, utc.getSecond());
        text[at] = 'Z';
        return new String(text);
    }

    private static int put(char[] text, int at, int twoDigits) {
        text[at] = (char) ('0' + twoDigits / 10);
        text[at + 1] = (char) ('0' + twoDigits % 10);
        return at + 2;
    }

    private static final java.time.format.DateTimeFormatter UTC_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", java.util.Locale.ROOT);
    private static final java.time.format.DateTimeFormatter GENERALIZED_TIME =
            java.time.format.DateTimeFormatter.ofPattern("uuuuMMddHHmmss'Z'", java.util.Locale.ROOT);

    /** SEQUENCE { parts… } around parts that are already DER-encoded, without decoding and re-encoding them. */
    static byte[] sequenceOf(byte[]... parts) {
        int contentLength = 0;
        for (byte[] part : parts) {
            contentLength += part.length;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(contentLength + 6);
        out.write(0x30);
        writeDerLength(out, contentLength);
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

    private static void writeDerLength(java.io.ByteArrayOutputStream out, int length) {
        if (length < 0x80) {
            out.write(length);
            return;
        }
        int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
        out.write(0x80 | bytes);
        for (int i = bytes - 1; i >= 0; i--) {
            out.write(length >>> (8 * i));
        }
    }
}
