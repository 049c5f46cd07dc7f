package org.openigc.server.certificates;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * PKCS#12 files of online-generated keys, held in memory only (never in the database or on disk), downloadable
 * exactly once by the administrator who ordered, within {@link #LIFETIME}. After download or expiry the bytes are
 * wiped and nothing can rebuild the private key.
 */
@Component
class Pkcs12Downloads {
    static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final SecureRandom RANDOM = new SecureRandom();

    record Pending(UUID certificateId, UUID personId, String fileName, byte[] pkcs12, Instant expiresAt) {
    }

    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Clock clock;

    Pkcs12Downloads(Clock clock) {
        this.clock = clock;
    }

    /** @return the one-time token of the download link */
    String hold(UUID certificateId, UUID personId, String fileName, byte[] pkcs12) {
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        pending.put(token, new Pending(certificateId, personId, fileName, pkcs12, clock.instant().plus(LIFETIME)));
        return token;
    }

    /** Takes the file out for good: a second call, another person or a late call gets nothing. */
    Optional<Pending> take(String token, UUID personId) {
        Pending found = pending.get(token);
        if (found == null || !found.personId().equals(personId)) {
            return Optional.empty();
        }
        if (!pending.remove(token, found)) {
            return Optional.empty();
        }
        if (found.expiresAt().isBefore(clock.instant())) {
            Arrays.fill(found.pkcs12(), (byte) 0);
            return Optional.empty();
        }
        return Optional.of(found);
    }

    @Scheduled(fixedDelay = 60_000)
    void forgetExpired() {
        Instant now = clock.instant();
        pending.entrySet().removeIf(entry -> {
            boolean expired = entry.getValue().expiresAt().isBefore(now);
            if (expired) {
                Arrays.fill(entry.getValue().pkcs12(), (byte) 0);
            }
            return expired;
        });
    }
}
