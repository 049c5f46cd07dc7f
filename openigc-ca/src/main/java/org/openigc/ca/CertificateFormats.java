package org.openigc.ca;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;

import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** The download formats of a certificate: PEM, DER, PEM chain, PKCS#7 and, for generated keys, PKCS#12. */
public final class CertificateFormats {
    private CertificateFormats() {
    }

    public static String pem(X509Certificate certificate) {
        return pem(List.of(certificate));
    }

    /** Several certificates, leaf first, as one PEM text. */
    public static String pem(List<X509Certificate> certificates) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (X509Certificate certificate : certificates) {
                writer.writeObject(certificate);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    /**
     * One certificate as PEM from its DER, without parsing it (the same text as {@link #pem(X509Certificate)}: a
     * {@code CERTIFICATE} block, 64-character base64 lines).
     */
    public static String pem(byte[] der) {
        StringWriter text = new StringWriter(der.length * 4 / 3 + 80);
        try (org.bouncycastle.util.io.pem.PemWriter writer = new org.bouncycastle.util.io.pem.PemWriter(text)) {
            writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("CERTIFICATE", der));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return text.toString();
    }

    public static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A degenerate PKCS#7 SignedData (no signers) carrying the certificates, DER-encoded, as RFC 7030 and browsers use. */
    public static byte[] pkcs7(List<X509Certificate> certificates) {
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addCertificates(new JcaCertStore(certificates));
            return generator.generate(new CMSProcessableByteArray(new byte[0]), false).getEncoded();
        } catch (CertificateEncodingException | CMSException | IOException e) {
            throw new IllegalStateException("cannot encode PKCS#7", e);
        }
    }

    /**
     * A password-protected PKCS#12 with the key and its chain, encrypted with PBES2/AES-256 and an HMAC-SHA256 MAC
     * (the JDK's default for PKCS#12), readable by openssl 3 and current operating systems.
     */
    public static byte[] pkcs12(PrivateKey key, List<X509Certificate> chain, char[] password, String alias) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(alias, key, password, chain.toArray(Certificate[]::new));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            store.store(out, password);
            return out.toByteArray();
        } catch (IOException | GeneralSecurityException e) {
            throw new CaException(CaErrorCode.KEYSTORE, "cannot build the PKCS#12", e);
        }
    }
}
