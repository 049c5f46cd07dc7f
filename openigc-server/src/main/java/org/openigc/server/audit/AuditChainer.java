package org.openigc.server.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves pending audit events into the hash chain, in batches: group commit. Business transactions only insert their
 * event into {@code audit_pending} (no lock, so concurrent orders no longer queue behind each other until commit);
 * a chaining pass takes the cluster-wide chain lock, deletes a batch of pending events, links them to the chain and
 * inserts them, and commits once — the delete and the inserts together, so an event is pending or chained, never
 * both and never lost.
 *
 * <p>A pass runs on this node's {@code audit-chainer} thread soon after each commit that recorded an event, every
 * {@value #SWEEP_MILLIS} ms in any case (events left by a node that died before chaining them, events of another
 * node), at start-up, and on demand ({@link #chainPending()}) before the trail is read, so readers see every event
 * committed before their request.
 */
@Component
public class AuditChainer implements SmartLifecycle {
    /** Advisory lock key of the chain (the CA bootstrap uses 0x0FE16C000001). */
    static final long CHAIN_LOCK = 0x0FE1_6C00_A0D1L;
    static final int BATCH = 1000;
    private static final long SWEEP_MILLIS = 1000;
    private static final Logger log = LoggerFactory.getLogger(AuditChainer.class);

    private final AuditEventRepository events;
    private final TransactionTemplate transactions;
    /** One pass at a time on this node (the advisory lock orders the nodes). */
    private final ReentrantLock passLock = new ReentrantLock();
    private final ReentrantLock signalLock = new ReentrantLock();
    private final Condition signalled = signalLock.newCondition();
    private boolean signal;
    private volatile boolean running;
    private Thread thread;

    AuditChainer(AuditEventRepository events, PlatformTransactionManager transactionManager) {
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
        // a pass is its own transaction even when a caller (a reader, a test) is inside one
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Wakes the chainer thread up: an event was committed. Never blocks, never touches the database. */
    void signal() {
        signalLock.lock();
        try {
            signal = true;
            signalled.signal();
        } finally {
            signalLock.unlock();
        }
    }

    /**
     * Chains every event pending now (committed before this call, on any node) before returning.
     *
     * @return the number of events this call chained (others may have been chained meanwhile by another node)
     */
    public long chainPending() {
        long chained = 0;
        passLock.lock();
        try {
            int moved;
            do {
                moved = pass();
                chained += moved;
            } while (moved == BATCH);
        } finally {
            passLock.unlock();
        }
        return chained;
    }

    /** One batch: lock, take pending events, link, insert, commit. */
    private int pass() {
        Integer moved = transactions.execute(status -> {
            events.lockChain();
            List<AuditEvent> pending = events.takePending(BATCH);
            if (pending.isEmpty()) {
                return 0;
            }
            List<Long> ids = events.nextIds(pending.size());
            String previous = events.lastHash().orElse(AuditHash.GENESIS);
            List<AuditEvent> chained = new ArrayList<>(pending.size());
            for (int i = 0; i < pending.size(); i++) {
                AuditEvent p = pending.get(i);
                AuditEvent unsigned = new AuditEvent(ids.get(i), p.occurredAt(), p.actor(), p.sourceIp(), p.action(),
                        p.objectType(), p.objectId(), p.details(), previous, null);
                String hash = AuditHash.of(unsigned);
                chained.add(new AuditEvent(unsigned.id(), unsigned.occurredAt(), unsigned.actor(),
                        unsigned.sourceIp(), unsigned.action(), unsigned.objectType(), unsigned.objectId(),
                        unsigned.details(), previous, hash));
                previous = hash;
            }
            events.insert(chained);
            return chained.size();
        });
        return moved == null ? 0 : moved;
    }

    private void loop() {
        while (running) {
            try {
                awaitSignal();
                if (!running) {
                    break;
                }
                long chained = chainPending();
                if (chained > 0) {
                    log.debug("event=audit-chained count={}", chained);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                // the database is away or restarting: the events stay pending; retry at the next sweep
                log.warn("event=audit-chain-failed error={}", e.toString());
                sleepQuietly();
            }
        }
    }

    private void awaitSignal() throws InterruptedException {
        signalLock.lock();
        try {
            long nanos = TimeUnit.MILLISECONDS.toNanos(SWEEP_MILLIS);
            while (!signal && running && nanos > 0) {
                nanos = signalled.awaitNanos(nanos);
            }
            signal = false;
        } finally {
            signalLock.unlock();
        }
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(SWEEP_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("audit-chainer").daemon().start(this::loop);
        signal(); // events left pending by a previous run are chained at once
    }

    @Override
    public void stop() {
        running = false;
        signal();
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            chainPending(); // what the last requests recorded, before the database goes away
        } catch (RuntimeException e) {
            log.warn("event=audit-chain-failed phase=shutdown error={}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Started before the web server and stopped after it (a lower phase): the last requests' events get chained. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 4096;
    }
}
