package org.openigc.certdc.account;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sliding-window limits per key (client address, identifier) against guessing and mail flooding. Kept in memory,
 * so per node; the account lockout, which is the real defence against guessing, is in the database and holds
 * cluster-wide.
 */
public final class RateLimiter {
    private static final int MAX_KEYS = 100_000;
    private final Map<String, Deque<Long>> hits = new ConcurrentHashMap<>();

    /** Records one hit for {@code key}; false (and not recorded) when {@code max} hits already fall in the window. */
    public boolean tryAcquire(String key, int max, Duration window) {
        if (hits.size() > MAX_KEYS) {
            hits.clear();
        }
        long now = System.nanoTime();
        long horizon = now - window.toNanos();
        Deque<Long> times = hits.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            while (!times.isEmpty() && times.peekFirst() < horizon) {
                times.pollFirst();
            }
            if (times.size() >= max) {
                return false;
            }
            times.addLast(now);
            return true;
        }
    }
}
