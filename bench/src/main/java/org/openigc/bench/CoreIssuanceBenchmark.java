package org.openigc.bench;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

import org.openigc.ca.CaKey;
import org.openigc.ca.CaUrls;
import org.openigc.ca.CertProfile;
import org.openigc.ca.CertificateIssuer;
import org.openigc.ca.CheckedCsr;
import org.openigc.ca.CryptoProviders;
import org.openigc.ca.CsrChecker;
import org.openigc.ca.IssuanceRequest;
import org.openigc.ca.KeyAlgorithm;
import org.openigc.ca.ProfileId;
import org.openigc.ca.SubjectData;
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

/** One issuance by the CA core: parse and check the CSR, build, check against the profile, sign, encode. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class CoreIssuanceBenchmark {
    @Param({"EC_P256", "RSA_3072"})
    public String caKey;

    @Param({"EC_P256", "RSA_2048"})
    public String csrKey;

    private CertificateIssuer issuer;
    private CertProfile profile;
    private byte[] csr;

    @Setup
    public void setUp() {
        CryptoProviders.install(true); // as the server does
        CaKey ca = Fixtures.organisationsCa(KeyAlgorithm.valueOf(caKey));
        issuer = new CertificateIssuer(ca, CaUrls.under("http://127.0.0.1:8080", ca.name()));
        profile = CertProfile.defaults("1.2.250.1.999.1", "https://openigc.example/pc").get(ProfileId.ORG_AUTH_CLI);
        csr = Fixtures.csr(KeyAlgorithm.valueOf(csrKey));
    }

    @Benchmark
    public byte[] issueFromCsr() throws Exception {
        CheckedCsr checked = CsrChecker.check(csr);
        return issuer.issueDer(profile, IssuanceRequest.of(checked,
                SubjectData.organisation("DMP AUTHENTIFICATION", "1750712184", "CHU DEMO", "Paris (75)"),
                Instant.now()), CertificateIssuer.randomSerial());
    }
}
