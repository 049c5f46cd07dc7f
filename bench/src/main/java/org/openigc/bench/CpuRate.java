package org.openigc.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.KeyPair;
import java.security.Provider;
import java.security.Signature;
import java.time.Instant;
import java.util.concurrent.Callable;

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

/**
 * Raw limit and core issuance per CPU-second of the measuring thread, for a machine shared with other tenants where
 * wall-clock rates (JMH's) swing with the scheduler: the operations counted are divided by the CPU time the thread
 * actually got ({@code ThreadMXBean.getCurrentThreadCpuTime}, native crypto included as it runs on that thread).
 * The ratio core / raw is then meaningful even under load.
 *
 * <pre>java -cp benchmarks.jar org.openigc.bench.CpuRate EC_P256 EC_P256 [warm-up CPU s] [measured CPU s] [rounds]</pre>
 *
 * Prints {@code CPUCSV,caKey,csrKey,round,sign/s,verify/s,raw limit/s,core/s,core/raw} per round.
 */
public final class CpuRate {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CpuRate() {
    }

    public static void main(String[] args) throws Exception {
        String caKey = args.length > 0 ? args[0] : "EC_P256";
        String csrKey = args.length > 1 ? args[1] : "EC_P256";
        double warmup = args.length > 2 ? Double.parseDouble(args[2]) : 3;
        double measure = args.length > 3 ? Double.parseDouble(args[3]) : 4;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        CryptoProviders.install(true); // as the server does
        Provider accp = (Provider) Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")
                .getField("INSTANCE").get(null);

        KeyPair caPair = KeyAlgorithm.valueOf(caKey).generate();
        KeyPair csrPair = KeyAlgorithm.valueOf(csrKey).generate();
        Signature signer = Signature.getInstance(caKey.startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA", accp);
        signer.initSign(caPair.getPrivate());
        String csrAlgorithm = csrKey.startsWith("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        Signature csrSigner = Signature.getInstance(csrAlgorithm, accp);
        csrSigner.initSign(csrPair.getPrivate());
        Signature verifier = Signature.getInstance(csrAlgorithm, accp);
        verifier.initVerify(csrPair.getPublic());
        byte[] message = new byte[600];
        csrSigner.update(message);
        byte[] signature = csrSigner.sign();

        CaKey ca = Fixtures.organisationsCa(KeyAlgorithm.valueOf(caKey));
        CertificateIssuer issuer = new CertificateIssuer(ca, CaUrls.under("http://127.0.0.1:8080", ca.name()));
        CertProfile profile = CertProfile.defaults("1.2.250.1.999.1", "https://openigc.example/pc")
                .get(ProfileId.ORG_AUTH_CLI);
        byte[] csr = Fixtures.csr(KeyAlgorithm.valueOf(csrKey));

        Callable<Object> sign = () -> {
            signer.update(message);
            return signer.sign();
        };
        Callable<Object> verify = () -> {
            verifier.update(message);
            return verifier.verify(signature);
        };
        Callable<Object> core = () -> {
            CheckedCsr checked = CsrChecker.check(csr);
            return issuer.issueDer(profile, IssuanceRequest.of(checked,
                    SubjectData.organisation("DMP AUTHENTIFICATION", "1750712184", "CHU DEMO", "Paris (75)"),
                    Instant.now()), CertificateIssuer.randomSerial());
        };
        rate(sign, warmup);
        rate(verify, warmup);
        rate(core, warmup * 2);
        for (int round = 1; round <= rounds; round++) {
            double s = rate(sign, measure);
            double v = rate(verify, measure);
            double c = rate(core, measure);
            double limit = 1 / (1 / s + 1 / v);
            System.out.printf("CPUCSV,%s,%s,%d,%.0f,%.0f,%.0f,%.0f,%.3f%n", caKey, csrKey, round, s, v, limit, c,
                    c / limit);
        }
    }

    /** Operations per CPU-second of this thread, run until {@code cpuSeconds} of CPU time were used. */
    static double rate(Callable<Object> operation, double cpuSeconds) throws Exception {
        long budget = (long) (cpuSeconds * 1e9);
        long start = THREADS.getCurrentThreadCpuTime();
        long used;
        long count = 0;
        Object sink = null;
        do {
            for (int i = 0; i < 20; i++) {
                sink = operation.call();
            }
            count += 20;
            used = THREADS.getCurrentThreadCpuTime() - start;
        } while (used < budget);
        if (sink == null) {
            throw new IllegalStateException();
        }
        return count / (used / 1e9);
    }
}
