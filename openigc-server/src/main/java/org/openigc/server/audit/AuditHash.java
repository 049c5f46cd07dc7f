package org.openigc.server.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical encoding and hash of an audit event. The encoding is length-prefixed (so no two different events
 * encode alike, whatever characters they contain), independent of how PostgreSQL prints timestamps or JSON, and
 * versioned by its first bytes so a later format can coexist with this one.
 *
 * <p>Changing anything here invalidates every stored chain: add a new version instead.
 */
final class AuditHash {
    /** previous_hash of the very first event. */
    static final String GENESIS = "0".repeat(64);
    private static final byte[] VERSION = "openigc-audit-v1".getBytes(StandardCharsets.US_ASCII);

    private AuditHash() {
    }

    static String of(AuditEvent event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(VERSION);
            out.writeLong(event.id());
            // PostgreSQL keeps microseconds: the hash covers exactly what is stored
            out.writeLong(epochMicros(event.occurredAt()));
            text(out, event.actor());
            text(out, event.sourceIp());
            text(out, event.action());
            text(out, event.objectType());
            text(out, event.objectId());
            Map<String, String> details = new TreeMap<>(event.details());
            out.writeInt(details.size());
            for (Map.Entry<String, String> entry : details.entrySet()) {
                text(out, entry.getKey());
                text(out, entry.getValue());
            }
            text(out, event.previousHash());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HexFormat.of().formatHex(sha256(bytes.toByteArray()));
    }

    /** The instant as it will be stored in a {@code timestamptz}. */
    static Instant storable(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static long epochMicros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
