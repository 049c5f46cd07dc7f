package org.openigc.server.certificates;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A sliding-window limit per key (client address, serial): revocation by code must not be brute-forced. */
final class AttemptLimiter {
    private final int maxAttempts;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> attempts = new ConcurrentHashMap<>();

    AttemptLimiter(int maxAttempts, Duration window, Clock clock) {
        this.maxAttempts = maxAttempts;
        this.window = window;
        this.clock = clock;
    }

    /** Counts one attempt; false when the key already used its attempts in the window. */
    boolean tryAcquire(String key) {
        Instant now = clock.instant();
        Deque<Instant> times = attempts.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst().isBefore(now.minus(window))) {
                times.pollFirst();
            }
            if (times.size() >= maxAttempts) {
                return false;
            }
            times.addLast(now);
            return true;
        }
    }

    void forgetIdle() {
        Instant limit = clock.instant().minus(window);
        attempts.entrySet().removeIf(entry -> {
            synchronized (entry.getValue()) {
                return entry.getValue().isEmpty() || entry.getValue().peekLast().isBefore(limit);
            }
        });
    }
}
