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
        for (int r = 1; r <= rounds; r++) {
            long start = System.nanoTime();
            byte[] crl = CrlBuilder.build(ca, BigInteger.valueOf(r), now, now.plus(Duration.ofHours(6)), list);
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("round %d: %,d entries in %,d ms, %,d bytes (%.1f bytes/entry)%n", r, entries, ms,
                    crl.length, crl.length / (double) entries);
        }
    }
}
