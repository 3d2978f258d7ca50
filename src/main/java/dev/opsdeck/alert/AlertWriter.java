package dev.opsdeck.alert;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists alert transitions off the probing threads. Changes are coalesced by fingerprint (only the latest
 * state of an alert matters) and committed in one transaction per batch, so an alert storm of 10,000 checks
 * is a handful of transactions, not 10,000. A failed batch is kept and retried with backoff, merged under
 * newer changes, until the store answers again: a change is lost only if the process dies before its batch
 * commits (a few milliseconds normally; the incident manager deduplicates a repeated firing by fingerprint).
 * {@link #close()} commits what is queued before returning, so a clean restart loses nothing.
 */
final class AlertWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertWriter.class);
    private static final long MAX_BACKOFF_MS = 30_000;

    private final AlertStore store;
    private final Thread thread;
    private Map<String, ActiveAlert> queued = new LinkedHashMap<>(); // null value: delete
    private Map<String, ActiveAlert> writing = Map.of(); // the batch being committed now
    private long commits;
    private boolean closing;
    private volatile String lastError;

    AlertWriter(AlertStore store) {
        this.store = store;
        this.thread = Thread.ofPlatform().name("opsdeck-alert-writer").daemon().start(this::run);
    }

    /** Queues the new state of an alert; null means it is gone (resolved, or a pending one that cleared). */
    synchronized void put(String fingerprint, ActiveAlert alert) {
        queued.put(fingerprint, alert);
        notifyAll();
    }

    /** Whether a change of this alert waits to be committed, or is being committed now. */
    synchronized boolean pending(String fingerprint) {
        return queued.containsKey(fingerprint) || writing.containsKey(fingerprint);
    }

    /** How many batches were committed so far: a read of the store between two equal counts saw no batch land. */
    synchronized long commits() {
        return commits;
    }

    String lastError() {
        return lastError;
    }

    private void run() {
        long backoff = 250;
        while (true) {
            Map<String, ActiveAlert> batch;
            synchronized (this) {
                while (queued.isEmpty() && !closing) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (queued.isEmpty()) return;
                batch = queued;
                writing = batch;
                queued = new LinkedHashMap<>();
            }
            try {
                store.write(batch);
                if (lastError != null) LOG.info("event=alert_state_write_recovered alerts={}", batch.size());
                lastError = null;
                backoff = 250;
                synchronized (this) {
                    writing = Map.of();
                    commits++;
                    notifyAll(); // wakes close() waiting for the queue to drain
                }
            } catch (Exception e) {
                // once per outage, not once per attempt
                if (lastError == null) {
                    LOG.warn(
                            "event=alert_state_write_failed alerts={} retry_ms={} error=\"{}\"",
                            batch.size(),
                            backoff,
                            e.toString());
                } else {
                    LOG.debug(
                            "event=alert_state_write_failed alerts={} retry_ms={} error=\"{}\"",
                            batch.size(),
                            backoff,
                            e.toString());
                }
                lastError = e.getMessage();
                synchronized (this) {
                    writing = Map.of();
                    batch.putAll(queued); // newer changes win over the failed ones
                    queued = batch;
                    if (closing) return; // close() gave up waiting; the next start reloads the older state
                    try {
                        wait(backoff);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }

    /** Commits what is queued (waiting up to 5 s for a failing store), then stops. */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
            LOG.warn("event=alert_state_unsaved note=\"the store did not answer within 5s\"");
        }
    }
}
