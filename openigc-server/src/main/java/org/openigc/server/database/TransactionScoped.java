package org.openigc.server.database;

import java.util.function.Consumer;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A value bound to the current transaction under a key: visible to its code until the transaction completes, hidden
 * from a nested {@code REQUIRES_NEW} transaction (suspended with the outer one, back when it resumes), gone after the
 * commit or rollback. For per-transaction state such as the registry's read memo or the deferred inserts.
 */
public final class TransactionScoped {
    private TransactionScoped() {
    }

    /**
     * Binds {@code value} under {@code key} to the current transaction, with {@code beforeCommit} (may be null) run
     * on it just before the commit. Returns false, binding nothing, outside a transaction or when {@code key} is
     * already bound.
     */
    public static <T> boolean bind(Object key, T value, Consumer<T> beforeCommit) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()
                || TransactionSynchronizationManager.hasResource(key)) {
            return false;
        }
        TransactionSynchronizationManager.bindResource(key, value);
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void suspend() {
                TransactionSynchronizationManager.unbindResourceIfPossible(key);
            }

            @Override
            public void resume() {
                TransactionSynchronizationManager.bindResource(key, value);
            }

            @Override
            public void beforeCommit(boolean readOnly) {
                if (beforeCommit != null) {
                    beforeCommit.accept(value);
                }
            }

            @Override
            public void afterCompletion(int status) {
                TransactionSynchronizationManager.unbindResourceIfPossible(key);
            }
        });
        return true;
    }
}
