package org.openigc.ca;

import java.io.IOException;
import java.io.OutputStream;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.PSSParameterSpec;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentVerifier;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Verifies a signature with one {@link Signature}. BouncyCastle's JCA verifier provider verifies raw signatures
 * a second time for PKCS#11 clean-up; CSR verification dominates issuance time, so we verify once.
 */
final class SignatureVerifier {
    private static final DefaultAlgorithmNameFinder NAMES = new DefaultAlgorithmNameFinder();

    private SignatureVerifier() {
    }

    /**
     * What {@code PKCS10CertificationRequest.isSignatureValid} does (the DER of the CertificationRequestInfo against
     * the signature), with the info encoded into a buffer sized for a CSR rather than one grown from 32 bytes.
     */
    static boolean verify(PKCS10CertificationRequest request, PublicKey key) {
        try {
            ContentVerifier verifier = provider(key).get(request.getSignatureAlgorithm());
            java.io.ByteArrayOutputStream info = new java.io.ByteArrayOutputStream(1024);
            request.toASN1Structure().getCertificationRequestInfo().encodeTo(info, ASN1Encoding.DER);
            try (OutputStream out = verifier.getOutputStream()) {
                info.writeTo(out);
            }
            return verifier.verify(request.getSignature());
        } catch (OperatorCreationException | IOException | RuntimeException e) {
            return false;
        }
    }

    /** Looked up once per thread and algorithm: {@code initVerify} resets the object whatever it was left doing. */
    private static final ThreadLocal<java.util.Map<String, Signature>> SIGNATURES =
            ThreadLocal.withInitial(java.util.HashMap::new);

    private static Signature reusable(String algorithm) throws GeneralSecurityException {
        java.util.Map<String, Signature> signatures = SIGNATURES.get();
        Signature signature = signatures.get(algorithm);
        if (signature == null) {
            signature = Signature.getInstance(algorithm);
            if (signatures.size() < 16) {
                signatures.put(algorithm, signature);
            }
        }
        return signature;
    }

    static ContentVerifierProvider provider(PublicKey key) {
        return new ContentVerifierProvider() {
            @Override
            public boolean hasAssociatedCertificate() {
                return false;
            }

            @Override
            public org.bouncycastle.cert.X509CertificateHolder getAssociatedCertificate() {
                return null;
            }

            @Override
            public ContentVerifier get(AlgorithmIdentifier algorithm) throws OperatorCreationException {
                String name = NAMES.getAlgorithmName(algorithm);
                Signature signature;
                try {
                    if (PKCSObjectIdentifiers.id_RSASSA_PSS.equals(algorithm.getAlgorithm())) {
                        // the JDK names PSS by its scheme alone; hash, MGF and salt come from the parameters
                        signature = Signature.getInstance("RSASSA-PSS");
                        AlgorithmParameters parameters = AlgorithmParameters.getInstance("RSASSA-PSS");
                        parameters.init(algorithm.getParameters().toASN1Primitive().getEncoded());
                        signature.setParameter(parameters.getParameterSpec(PSSParameterSpec.class));
                    } else {
                        signature = reusable(name.replace("WITH", "with"));
                    }
                    signature.initVerify(key);
                } catch (GeneralSecurityException | IOException | RuntimeException e) {
                    throw new OperatorCreationException("cannot verify " + name + ": " + e.getMessage(), e);
                }
                return new SingleSignatureVerifier(algorithm, signature);
            }
        };
    }

    private record SingleSignatureVerifier(AlgorithmIdentifier algorithm, Signature signature) implements ContentVerifier {
        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return algorithm;
        }

        @Override
        public OutputStream getOutputStream() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    try {
                        signature.update(bytes, offset, length);
                    } catch (SignatureException e) {
                        throw new IOException(e);
                    }
                }
            };
        }

        @Override
        public boolean verify(byte[] expected) {
            try {
                return signature.verify(expected);
            } catch (SignatureException e) {
                return false;
            }
        }
    }
}
