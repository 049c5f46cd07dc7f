package org.openigc.server.registry;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.openigc.server.database.TransactionScoped;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A memo of registry reads that lives as long as the current transaction, opened on purpose by a caller that reads
 * the same rows several times (an order reads its structure, the structure's EJ and the person's habilitations in
 * the contract check, the mandate check and the domain check). Without {@link #open()} in the current transaction,
 * every read goes to the database as before. Any registry write clears it ({@link #forget()}, called by every write of
 * {@link RegistryRepository}, the only writer of those tables), and it ends with the transaction: nothing outlives
 * a request, so a withdrawn habilitation or a revoked delegation counts from the next transaction on.
 */
final class ReadMemo {
    private static final Object KEY = ReadMemo.class;

    private ReadMemo() {
    }

    /**
     * Starts memoising registry reads until the current transaction completes (a nested {@code REQUIRES_NEW}
     * transaction neither sees nor fills it); no-op outside a transaction.
     */
    static void open() {
        TransactionScoped.bind(KEY, new HashMap<Object, Object>(), null);
    }

    /** The memoised value of {@code key} in this transaction, else {@code loader}'s (memoised when a memo is open). */
    @SuppressWarnings("unchecked")
    static <T> T get(Object key, Supplier<T> loader) {
        Map<Object, Object> memo = (Map<Object, Object>) TransactionSynchronizationManager.getResource(KEY);
        if (memo == null) {
            return loader.get();
        }
        Object value = memo.get(key);
        if (value == null) {
            value = loader.get();
            if (value instanceof java.util.List<?> list) {
                value = java.util.List.copyOf(list); // shared by every reader of this transaction: read-only
            }
            memo.put(key, value);
        }
        return (T) value;
    }

    /**
     * Memoises {@code value} under {@code key} as if {@link #get} had loaded it (for a caller that read several keys'
     * rows in one round trip); no-op without a memo.
     */
    @SuppressWarnings("unchecked")
    static void put(Object key, Object value) {
        Map<Object, Object> memo = (Map<Object, Object>) TransactionSynchronizationManager.getResource(KEY);
        if (memo != null) {
            memo.put(key, value instanceof java.util.List<?> list ? java.util.List.copyOf(list) : value);
        }
    }

    /** Forgets every memoised read of this transaction (after a registry write). */
    @SuppressWarnings("unchecked")
    static void forget() {
        Map<Object, Object> memo = (Map<Object, Object>) TransactionSynchronizationManager.getResource(KEY);
        if (memo != null) {
            memo.clear();
        }
    }

    /** Whether a memo is open in the current transaction (tests). */
    static boolean isOpen() {
        return TransactionSynchronizationManager.hasResource(KEY);
    }
}
