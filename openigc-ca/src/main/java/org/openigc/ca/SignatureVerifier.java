package org.openigc.ca;

import java.io.IOException;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PSSParameterSpec;
import java.util.HashMap;
import java.util.Map;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.DefaultAlgorithmNameFinder;

/**
 * Verifies a signature with one {@link Signature}. BouncyCastle's JCA verifier provider verifies raw signatures
 * a second time for PKCS#11 clean-up; CSR verification dominates issuance time, so we verify once.
 */
final class SignatureVerifier {
    private static final DefaultAlgorithmNameFinder NAMES = new DefaultAlgorithmNameFinder();

    /**
     * One object per thread and algorithm (PSS aside, whose parameters vary per request), found from the OID without
     * the name lookup: {@code initVerify} resets the object whatever it was left doing.
     */
    private static final ThreadLocal<Map<ASN1ObjectIdentifier, Signature>> SIGNATURES =
            ThreadLocal.withInitial(HashMap::new);

    private SignatureVerifier() {
    }

    /** True if {@code signature} is {@code key}'s signature over {@code signed} with {@code algorithm}. */
    static boolean verify(AlgorithmIdentifier algorithm, byte[] signed, byte[] signature, PublicKey key) {
        try {
            Signature verifier = signature(algorithm);
            verifier.initVerify(key);
            verifier.update(signed);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return false;
        }
    }

    private static Signature signature(AlgorithmIdentifier algorithm) throws GeneralSecurityException, IOException {
        if (PKCSObjectIdentifiers.id_RSASSA_PSS.equals(algorithm.getAlgorithm())) {
            // the JDK names PSS by its scheme alone; hash, MGF and salt come from the parameters
            Signature signature = Signature.getInstance("RSASSA-PSS");
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("RSASSA-PSS");
            parameters.init(algorithm.getParameters().toASN1Primitive().getEncoded());
            signature.setParameter(parameters.getParameterSpec(PSSParameterSpec.class));
            return signature;
        }
        Map<ASN1ObjectIdentifier, Signature> signatures = SIGNATURES.get();
        Signature signature = signatures.get(algorithm.getAlgorithm());
        if (signature == null) {
            signature = Signature.getInstance(NAMES.getAlgorithmName(algorithm).replace("WITH", "with"));
            if (signatures.size() < 16) {
                signatures.put(algorithm.getAlgorithm(), signature);
            }
        }
        return signature;
    }
}
