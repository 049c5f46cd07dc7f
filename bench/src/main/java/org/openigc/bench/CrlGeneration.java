package org.openigc.bench;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.openigc.ca.CaKey;
import org.openigc.ca.CrlBuilder;
import org.openigc.ca.CryptoProviders;
import org.openigc.ca.KeyAlgorithm;
import org.openigc.ca.RevocationReason;
import org.openigc.ca.RevokedEntry;

/**
 * Timed main: one CRL with N revoked entries (default 1,000,000) built by {@link CrlBuilder} for a P-256 CA.
 * Run: java -cp bench/target/benchmarks.jar org.openigc.bench.CrlGeneration [entries] [rounds]
 */
public final class CrlGeneration {
    private CrlGeneration() {
    }

    public static void main(String[] args) {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        CryptoProviders.install(true);
        CaKey ca = Fixtures.organisationsCa(KeyAlgorithm.EC_P256);
        SecureRandom random = new SecureRandom();
        Instant now = Instant.now();
        RevocationReason[] reasons = RevocationReason.values();
        List<RevokedEntry> list = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
            list.add(new RevokedEntry(new BigInteger(159, random).setBit(158), now.minusSeconds(i % 86_400),
                    reasons[i % reasons.length]));
        }
        boolean withBc = args.length <= 2 || !args[2].equals("openigc");
        for (int r = 1; r <= rounds; r++) {
            long start = System.nanoTime();
            byte[] crl = CrlBuilder.build(ca, BigInteger.valueOf(r), now, now.plus(Duration.ofHours(6)), list);
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("round %d: OpenIGC CrlBuilder %,d entries in %,d ms, %,d bytes (%.1f bytes/entry)%n", r,
                    entries, ms, crl.length, crl.length / (double) entries);
            crl = null;
            if (withBc) {
                // the peer in the same JVM: a bare BouncyCastle X509v2CRLBuilder, same entries, same key
                start = System.nanoTime();
                byte[] bare = bareBouncyCastle(ca, r, now, list);
                ms = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("round %d: bare BC X509v2CRLBuilder %,d entries in %,d ms, %,d bytes%n", r, entries,
                        ms, bare.length);
            }
        }
    }

    private static byte[] bareBouncyCastle(CaKey ca, int number, Instant now, List<RevokedEntry> list) {
        try {
            org.bouncycastle.cert.X509v2CRLBuilder builder = new org.bouncycastle.cert.X509v2CRLBuilder(
                    org.bouncycastle.asn1.x500.X500Name.getInstance(
                            ca.certificate().getSubjectX500Principal().getEncoded()), java.util.Date.from(now));
            builder.setNextUpdate(java.util.Date.from(now.plus(Duration.ofHours(6))));
            for (RevokedEntry entry : list) {
                builder.addCRLEntry(entry.serial(), java.util.Date.from(entry.revokedAt()), entry.reason().code());
            }
            builder.addExtension(org.bouncycastle.asn1.x509.Extension.cRLNumber, false,
                    new org.bouncycastle.asn1.x509.CRLNumber(BigInteger.valueOf(number)));
            return builder.build(ca.signer()).getEncoded();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
