package org.openigc.bench;

import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.openigc.ca.CaHierarchy;
import org.openigc.ca.CaKey;
import org.openigc.ca.CaNaming;
import org.openigc.ca.CaRole;
import org.openigc.ca.CaUrls;
import org.openigc.ca.Environment;
import org.openigc.ca.KeyAlgorithm;

/** Keys, CSRs and CAs made once per benchmark trial. */
final class Fixtures {
    private Fixtures() {
    }

    static CaKey organisationsCa(KeyAlgorithm algorithm) {
        Map<CaRole, CaKey> cas = CaHierarchy.create(Environment.PRODUCTION, new CaNaming("BENCH", "187512751"),
                KeyAlgorithm.EC_P256, algorithm, Instant.now(), n -> CaUrls.under("http://127.0.0.1:8080", n),
                (name, a) -> a.generate(), null);
        return cas.get(CaRole.ORGANISATIONS);
    }

    static byte[] csr(KeyAlgorithm algorithm) {
        try {
            KeyPair pair = algorithm.generate();
            String signature = algorithm.name().startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=bench"), pair.getPublic())
                    .build(new JcaContentSignerBuilder(signature).build(pair.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
