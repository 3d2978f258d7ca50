package dev.opsdeck.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Marks messages delivered with a group commit: an attempt that got its 2xx waits while an earlier batch commits,
 * and then one commit marks everything that finished meanwhile. Each caller still returns only once its own mark
 * is committed, so the guarantee is unchanged (a kill before the commit resends with the same key); what changes
 * is that N attempts finishing together cost one fsync instead of N.
 */
final class DeliveredMarks {
    /** One message to mark: its id and when the receiver acknowledged it. */
    record Mark(long id, long atMs) {}

    private static final class Batch {
        final List<Mark> marks = new ArrayList<>();
        boolean done;
        RuntimeException error;
    }

    private final OutboxStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition committed = lock.newCondition();
    private Batch open = new Batch();
    private boolean committing;

    DeliveredMarks(OutboxStore store) {
        this.store = store;
    }

    /** Returns once {@code id} is marked delivered in the store; throws what the store threw when the commit failed. */
    void mark(long id, long atMs) {
        Batch mine;
        lock.lock();
        try {
            mine = open;
            mine.marks.add(new Mark(id, atMs));
            while (committing && !mine.done) committed.awaitUninterruptibly();
            if (mine.done) {
                rethrow(mine);
                return;
            }
            // no commit runs and ours is not done: lead this batch; later marks gather in a new one
            committing = true;
            open = new Batch();
        } finally {
            lock.unlock();
        }
        try {
            store.delivered(mine.marks);
        } catch (RuntimeException e) {
            mine.error = e;
        }
        lock.lock();
        try {
            mine.done = true;
            committing = false;
            committed.signalAll();
        } finally {
            lock.unlock();
        }
        rethrow(mine);
    }

    private static void rethrow(Batch b) {
        if (b.error != null) throw b.error;
    }
}
