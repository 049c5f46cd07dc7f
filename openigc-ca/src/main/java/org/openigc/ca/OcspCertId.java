package org.openigc.ca;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.CertID;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.ocsp.CertificateID;

/**
 * The CertID of one OCSP request (RFC 6960 §4.1.1): which issuer, by hashes of its name and key, and which serial.
 * Compared by value.
 *
 * @param hashAlgorithmOid the hash of both issuer hashes, e.g. {@code 1.3.14.3.2.26} (SHA-1)
 */
public record OcspCertId(String hashAlgorithmOid, byte[] issuerNameHash, byte[] issuerKeyHash, BigInteger serial) {
    public static final String SHA1 = OIWObjectIdentifiers.idSHA1.getId();
    public static final String SHA256 = NISTObjectIdentifiers.id_sha256.getId();

    /** The hashes a CertID may use and the JDK's names for them; SHA-1 is what most clients still send. */
    private static final Map<String, String> DIGESTS = Map.of(
            SHA1, "SHA-1",
            SHA256, "SHA-256",
            NISTObjectIdentifiers.id_sha384.getId(), "SHA-384",
            NISTObjectIdentifiers.id_sha512.getId(), "SHA-512");

    public OcspCertId {
        Objects.requireNonNull(hashAlgorithmOid, "hashAlgorithmOid");
        issuerNameHash = Objects.requireNonNull(issuerNameHash, "issuerNameHash").clone();
        issuerKeyHash = Objects.requireNonNull(issuerKeyHash, "issuerKeyHash").clone();
        Objects.requireNonNull(serial, "serial");
    }

    /** The CertID a client would send for {@code serial} issued by {@code issuer}, hashing with {@code hashAlgorithmOid}. */
    public static OcspCertId of(X509Certificate issuer, BigInteger serial, String hashAlgorithmOid) {
        MessageDigest digest = digest(hashAlgorithmOid);
        if (digest == null) {
            throw new CaException(CaErrorCode.REQUEST_INVALID, "unsupported CertID hash " + hashAlgorithmOid);
        }
        byte[] nameHash = digest.digest(issuer.getSubjectX500Principal().getEncoded());
        return new OcspCertId(hashAlgorithmOid, nameHash, digest.digest(keyBits(issuer)), serial);
    }

    /**
     * Whether this CertID names {@code issuer}: the hash of its DER subject and the hash of its public key's BIT STRING
     * value (not the whole SubjectPublicKeyInfo) match. False for a hash algorithm we do not know.
     */
    public boolean matches(X509Certificate issuer) {
        MessageDigest digest = digest(hashAlgorithmOid);
        if (digest == null) {
            return false;
        }
        byte[] nameHash = digest.digest(issuer.getSubjectX500Principal().getEncoded());
        byte[] keyHash = digest.digest(keyBits(issuer));
        return MessageDigest.isEqual(nameHash, issuerNameHash) && MessageDigest.isEqual(keyHash, issuerKeyHash);
    }

    @Override
    public byte[] issuerNameHash() {
        return issuerNameHash.clone();
    }

    @Override
    public byte[] issuerKeyHash() {
        return issuerKeyHash.clone();
    }

    /** As BouncyCastle's response builder wants it; the hash AlgorithmIdentifier carries NULL parameters as clients send. */
    CertificateID toCertificateId() {
        return new CertificateID(new CertID(
                new AlgorithmIdentifier(new ASN1ObjectIdentifier(hashAlgorithmOid), DERNull.INSTANCE),
                new DEROctetString(issuerNameHash), new DEROctetString(issuerKeyHash), new ASN1Integer(serial)));
    }

    private static MessageDigest digest(String oid) {
        String name = DIGESTS.get(oid);
        if (name == null) {
            return null;
        }
        try {
            return MessageDigest.getInstance(name);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(name + " is missing from the JDK", e);
        }
    }

    private static byte[] keyBits(X509Certificate issuer) {
        return SubjectPublicKeyInfo.getInstance(issuer.getPublicKey().getEncoded()).getPublicKeyData().getBytes();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OcspCertId id && hashAlgorithmOid.equals(id.hashAlgorithmOid)
                && Arrays.equals(issuerNameHash, id.issuerNameHash) && Arrays.equals(issuerKeyHash, id.issuerKeyHash)
                && serial.equals(id.serial);
    }

    @Override
    public int hashCode() {
        return Objects.hash(hashAlgorithmOid, Arrays.hashCode(issuerNameHash), Arrays.hashCode(issuerKeyHash), serial);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return "OcspCertId[" + hashAlgorithmOid + ", name " + hex.formatHex(issuerNameHash) + ", key "
                + hex.formatHex(issuerKeyHash) + ", serial " + serial.toString(16) + "]";
    }
}
