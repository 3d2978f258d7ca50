package dev.opsdeck.probe.types;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Idle keep-alive connections, shared by every http and prometheus check of the process and keyed by
 * scheme, host, port and trust. Small on purpose: thousands of checks against one target need only as
 * many connections as run at the same moment, and an idle connection is dropped after
 * {@link #IDLE_NANOS}, before common servers (Node.js and Apache close after 5 s) close it under us.
 */
final class HttpConnectionPool {
    /** How long a connection may wait in the pool. */
    static final long IDLE_NANOS = 4_000_000_000L;
    /**
     * 64 per target: when a busy target answers slowly, as many probes run at once as its latency times the
     * probe rate, and every connection closed for want of room is a new connection (and a TIME_WAIT port)
     * for the next probe; 16 made 10,000 checks against one slow target open connections faster than it
     * accepted them.
     */
    static final HttpConnectionPool SHARED = new HttpConnectionPool(64, 256, IDLE_NANOS);

    private final int maxPerKey;
    private final int maxTotal;
    private final long idleNanos;
    private final Map<HttpConnection.Key, ArrayDeque<HttpConnection>> idle = new HashMap<>();
    private int total;
    private long lastSweepNanos = System.nanoTime();

    HttpConnectionPool(int maxPerKey, int maxTotal, long idleNanos) {
        this.maxPerKey = maxPerKey;
        this.maxTotal = maxTotal;
        this.idleNanos = idleNanos;
    }

    /** The most recently used idle connection to {@code key} (least likely closed by the server), or null. */
    HttpConnection take(HttpConnection.Key key) {
        List<HttpConnection> expired = new ArrayList<>(0);
        HttpConnection found = null;
        long now = System.nanoTime();
        synchronized (this) {
            ArrayDeque<HttpConnection> q = idle.get(key);
            while (q != null && !q.isEmpty()) {
                HttpConnection c = q.pollLast();
                total--;
                if (now - c.idleSinceNanos() < idleNanos) {
                    found = c;
                    break;
                }
                expired.add(c);
            }
            if (q != null && q.isEmpty()) idle.remove(key);
            sweep(now, expired);
        }
        expired.forEach(HttpConnection::close);
        return found;
    }

    /** Keeps a connection whose last response was read completely; closes it when the pool is full. */
    void give(HttpConnection c) {
        List<HttpConnection> expired = new ArrayList<>(0);
        long now = System.nanoTime();
        boolean kept = false;
        synchronized (this) {
            ArrayDeque<HttpConnection> q = idle.computeIfAbsent(c.key(), k -> new ArrayDeque<>());
            if (q.size() < maxPerKey && total < maxTotal) {
                c.idleSince(now);
                q.addLast(c);
                total++;
                kept = true;
            } else if (q.isEmpty()) {
                idle.remove(c.key());
            }
            sweep(now, expired);
        }
        if (!kept) c.close();
        expired.forEach(HttpConnection::close);
    }

    /** At most once a second, drops expired connections of every key (also of targets no check uses any more). */
    private void sweep(long now, List<HttpConnection> expired) {
        if (now - lastSweepNanos < 1_000_000_000L) return;
        lastSweepNanos = now;
        for (Iterator<ArrayDeque<HttpConnection>> it = idle.values().iterator(); it.hasNext(); ) {
            ArrayDeque<HttpConnection> q = it.next();
            while (!q.isEmpty() && now - q.peekFirst().idleSinceNanos() >= idleNanos) {
                expired.add(q.pollFirst());
                total--;
            }
            if (q.isEmpty()) it.remove();
        }
    }

    synchronized int idleCount() {
        return total;
    }
}
