package org.openigc.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.bouncycastle.operator.ContentSigner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReusableSignersTest {

    private static byte[] sign(ContentSigner signer, String message) throws Exception {
        try (OutputStream out = signer.getOutputStream()) {
            out.write(message.getBytes(StandardCharsets.UTF_8));
        }
        return signer.getSignature();
    }

    private static boolean verifies(PublicKey key, String algorithm, String message, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(key);
        verifier.update(message.getBytes(StandardCharsets.UTF_8));
        return verifier.verify(signature);
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "RSA_2048"})
    void reusedSignaturesVerifyAndCoverOnlyTheirOwnMessage(KeyAlgorithm algorithm) throws Exception {
        KeyPair pair = algorithm.generate();
        String name = CaKey.signatureAlgorithm(pair.getPublic());
        for (int i = 0; i < 5; i++) {
            byte[] signature = sign(ReusableSigners.signer(pair.getPrivate(), name), "message " + i);
            assertThat(verifies(pair.getPublic(), name, "message " + i, signature)).isTrue();
            assertThat(verifies(pair.getPublic(), name, "message " + (i + 1), signature)).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "RSA_2048"})
    void anAbandonedSignerLeavesNothingBehind(KeyAlgorithm algorithm) throws Exception {
        KeyPair pair = algorithm.generate();
        String name = CaKey.signatureAlgorithm(pair.getPublic());
        ContentSigner abandoned = ReusableSigners.signer(pair.getPrivate(), name);
        abandoned.getOutputStream().write("garbage left by a failed build".getBytes(StandardCharsets.UTF_8));
        // never signed: the next signer of the same key must not include those bytes
        byte[] signature = sign(ReusableSigners.signer(pair.getPrivate(), name), "clean message");
        assertThat(verifies(pair.getPublic(), name, "clean message", signature)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256"})
    void nestedSignersOfOneKeyDoNotShareState(KeyAlgorithm algorithm) throws Exception {
        KeyPair pair = algorithm.generate();
        String name = CaKey.signatureAlgorithm(pair.getPublic());
        ContentSigner outer = ReusableSigners.signer(pair.getPrivate(), name);
        outer.getOutputStream().write("outer ".getBytes(StandardCharsets.UTF_8));
        byte[] inner = sign(ReusableSigners.signer(pair.getPrivate(), name), "inner");
        outer.getOutputStream().write("message".getBytes(StandardCharsets.UTF_8));
        byte[] outerSignature = outer.getSignature();
        assertThat(verifies(pair.getPublic(), name, "inner", inner)).isTrue();
        assertThat(verifies(pair.getPublic(), name, "outer message", outerSignature)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256"})
    void manyKeysAndThreads(KeyAlgorithm algorithm) throws Exception {
        List<KeyPair> pairs = new ArrayList<>();
        for (int i = 0; i < 6; i++) { // more keys than a thread caches
            pairs.add(algorithm.generate());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 200; t++) {
                int n = t;
                results.add(pool.submit(() -> {
                    KeyPair pair = pairs.get(n % pairs.size());
                    String name = CaKey.signatureAlgorithm(pair.getPublic());
                    return verifies(pair.getPublic(), name, "task " + n,
                            sign(ReusableSigners.signer(pair.getPrivate(), name), "task " + n));
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
