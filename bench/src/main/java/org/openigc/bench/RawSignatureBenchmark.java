package org.openigc.bench;

import java.security.KeyPair;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openigc.ca.KeyAlgorithm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The two public-key operations every issuance needs, alone: the CA's signature and the CSR's verification. Their
 * combined rate is the physical limit of issuance on this machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class RawSignatureBenchmark {
    @Param({"EC_P256", "RSA_3072", "RSA_2048"})
    public String key;

    @Param({"SunJCA", "BC"})
    public String provider;

    private Signature signer;
    private Signature verifier;
    private byte[] message;
    private byte[] signature;

    @Setup
    public void setUp() throws Exception {
        Provider chosen = switch (provider) {
            case "BC" -> new BouncyCastleProvider();
            case "ACCP" -> (Provider) Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")
                    .getField("INSTANCE").get(null);
            default -> null;
        };
        KeyAlgorithm algorithm = KeyAlgorithm.valueOf(key);
        KeyPair pair = algorithm.generate();
        String name = key.startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        signer = chosen == null ? Signature.getInstance(name) : Signature.getInstance(name, chosen);
        signer.initSign(pair.getPrivate());
        verifier = chosen == null ? Signature.getInstance(name) : Signature.getInstance(name, chosen);
        verifier.initVerify(pair.getPublic());
        message = new byte[600]; // about the size of a to-be-signed certificate
        signer.update(message);
        signature = signer.sign();
        Security.getProviders(); // providers loaded before measuring
    }

    @Benchmark
    public byte[] sign() throws Exception {
        signer.update(message);
        return signer.sign();
    }

    @Benchmark
    public boolean verify() throws Exception {
        verifier.update(message);
        return verifier.verify(signature);
    }
}
