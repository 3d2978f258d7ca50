package dev.opsdeck.incident;

import dev.opsdeck.alert.AlertEvent;
import dev.opsdeck.config.Json;
import dev.opsdeck.store.SpoolFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Alert events the store could not take yet, in the order they came: one file per event in
 * {@code data_dir/spool/alerts}, named by a sequence number, written under a temporary name, forced to disk and
 * renamed before the event counts as kept, so a kill at any instant leaves whole events and loses none. The
 * incident manager applies them in order once the store answers and removes each file after its commit; one
 * replayed twice (a kill between the commit and the removal) is a repeat the incident manager recognises.
 * Without a directory (tools, tests) events are kept in memory only.
 */
final class AlertJournal {
    /**
     * One kept event; {@code paged} lists the channels it was already paged to through the local spool;
     * {@code inherited}: kept by an earlier process (found on disk at start).
     */
    record Entry(long seq, AlertEvent event, List<String> paged, Path file, boolean inherited) {}

    private static final Logger LOG = LoggerFactory.getLogger(AlertJournal.class);

    private final Path dir; // null: memory only
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long seq;

    AlertJournal(Path dir) {
        this.dir = dir;
        if (dir == null) return;
        try {
            for (Path f : SpoolFiles.open(dir)) {
                Entry e = read(f);
                entries.addLast(e);
                seq = Math.max(seq, e.seq());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot use the alert journal " + dir + ": " + e.getMessage(), e);
        }
    }

    synchronized boolean isEmpty() {
        return entries.isEmpty();
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized Entry first() {
        return entries.peekFirst();
    }

    /** Keeps an event after every event kept before it; on disk before this returns (when it has a directory). */
    synchronized Entry append(AlertEvent event, List<String> paged) {
        long n = ++seq;
        Path file = null;
        if (dir != null) {
            Path target = dir.resolve(String.format("%020d.json", n));
            try {
                SpoolFiles.write(target, Json.MAPPER.writeValueAsBytes(toMap(n, event, paged)));
                file = target;
            } catch (IOException e) {
                // still applied from memory once the store answers; only a kill before then would lose it
                LOG.error(
                        "event=alert_journal_write_failed fingerprint=\"{}\" error=\"{}\"",
                        event.fingerprint(),
                        e.toString());
            }
        }
        Entry entry = new Entry(n, event, List.copyOf(paged), file, false);
        entries.addLast(entry);
        return entry;
    }

    /** The first entry is applied (or given up): it goes. */
    synchronized void removeFirst(Entry e) {
        if (entries.peekFirst() != e) throw new IllegalStateException("journal entries are removed in order");
        entries.pollFirst();
        if (e.file() == null) return;
        try {
            Files.deleteIfExists(e.file());
        } catch (IOException ex) {
            LOG.warn(
                    "event=alert_journal_remove_failed file={} error=\"{}\"",
                    e.file().getFileName(),
                    ex.toString());
        }
    }

    private static Map<String, Object> toMap(long seq, AlertEvent e, List<String> paged) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("fingerprint", e.fingerprint());
        m.put("source", e.source());
        m.put("name", e.name());
        m.put("state", e.state().name());
        m.put("severity", e.severity().name());
        m.put("service", e.service());
        m.put("root_cause", e.rootCause());
        m.put("impacted", e.impacted());
        m.put("suppressed", e.suppressed());
        m.put("labels", e.labels());
        m.put("summary", e.summary());
        m.put("description", e.description());
        m.put("runbook", e.runbook());
        m.put("at_ms", e.at() == null ? null : e.at().toEpochMilli());
        m.put("suppressed_by", e.suppressedBy());
        m.put("paged", paged);
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Entry read(Path f) throws IOException {
        Map<String, Object> m = Json.MAPPER.readValue(Files.readString(f, StandardCharsets.UTF_8), Json.OBJECT);
        Object at = m.get("at_ms");
        AlertEvent e = new AlertEvent(
                (String) m.get("fingerprint"),
                (String) m.get("source"),
                (String) m.get("name"),
                AlertEvent.State.valueOf((String) m.get("state")),
                AlertEvent.Severity.valueOf((String) m.get("severity")),
                (String) m.get("service"),
                (String) m.get("root_cause"),
                m.get("impacted") == null ? List.of() : List.copyOf((List<String>) m.get("impacted")),
                Boolean.TRUE.equals(m.get("suppressed")),
                m.get("labels") == null ? Map.of() : Map.copyOf((Map<String, String>) m.get("labels")),
                (String) m.get("summary"),
                (String) m.get("description"),
                (String) m.get("runbook"),
                at == null ? null : Instant.ofEpochMilli(((Number) at).longValue()),
                (String) m.get("suppressed_by"));
        List<String> paged = m.get("paged") == null ? List.of() : List.copyOf((List<String>) m.get("paged"));
        return new Entry(((Number) m.get("seq")).longValue(), e, paged, f, true);
    }
}
