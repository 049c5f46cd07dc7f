package org.openigc.server.certificates;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * The opaque {@code cursor} of the tracking list (keyset pagination): the sort key and id of a row of a page, the
 * direction to read from it (the rows after it for "next", the rows before it for "previous"), the sort and a
 * fingerprint of the filters it was made for, and the number of the page it leads to (a display hint only).
 * <p>
 * The cursor carries no authority: the requester's scope is applied to every query whatever the cursor says, so a
 * forged but well-formed cursor only moves the reader within the rows it may see. Base64url of a line-separated text,
 * {@code v1}; anything else is refused as {@code cursor}/{@code format}.
 */
record TrackingCursor(boolean backward, CertificateRepository.Sort sort, int page, String filters, UUID id,
                      Object key) {
    private static final String VERSION = "v1";

    String encode() {
        String keyText = key instanceof Instant instant ? instant.toString() : String.valueOf(key);
        String text = String.join("\n", VERSION, backward ? "B" : "F", sort.parameter(), Integer.toString(page),
                filters, id.toString(), keyText);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Empty when {@code value} is not a cursor this version wrote (bad Base64, fields, sort, date or id). */
    static Optional<TrackingCursor> decode(String value) {
        if (value == null || value.length() > 2048) {
            return Optional.empty();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(value.strip()), StandardCharsets.UTF_8);
            String[] parts = text.split("\n", 7);
            if (parts.length != 7 || !VERSION.equals(parts[0]) || !parts[1].matches("[FB]")) {
                return Optional.empty();
            }
            Optional<CertificateRepository.Sort> sort = CertificateRepository.Sort.of(parts[2]);
            int page = Integer.parseInt(parts[3]);
            if (sort.isEmpty() || page < 0 || !parts[4].matches("[0-9a-f]{16}")) {
                return Optional.empty();
            }
            UUID id = UUID.fromString(parts[5]);
            if (!id.toString().equals(parts[5])) {
                return Optional.empty();
            }
            Object key = sort.get().temporal() ? Instant.parse(parts[6]) : parts[6];
            return Optional.of(new TrackingCursor("B".equals(parts[1]), sort.get(), page, parts[4], id, key));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The fingerprint of the filters of a list (not a secret: it only tells a cursor from another list's). */
    static String fingerprint(String... filters) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String filter : filters) {
                digest.update((filter == null ? "\u0000" : filter).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0x1f);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
