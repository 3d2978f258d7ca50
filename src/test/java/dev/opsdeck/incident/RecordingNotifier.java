package dev.opsdeck.incident;

import dev.opsdeck.notify.Notifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Notifier that keeps what it was given, with the outbox's contract: the same idempotency key twice returns
 * the first id and records nothing new. {@code failing} makes it throw, as an outbox whose store is down.
 */
final class RecordingNotifier implements Notifier {
    record Sent(long id, String channel, String key, String template, Map<String, Object> fields) {}

    final List<Sent> sent = new ArrayList<>();
    private final Map<String, Long> byKey = new LinkedHashMap<>();
    volatile boolean failing;

    @Override
    public synchronized long enqueue(
            String channel, String idempotencyKey, String template, Map<String, Object> fields) {
        if (failing) throw new IllegalStateException("outbox unavailable");
        Long existing = byKey.get(idempotencyKey);
        if (existing != null) return existing;
        long id = 1000 + sent.size();
        byKey.put(idempotencyKey, id);
        Map<String, Object> kept = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            if (v != null) kept.put(k, v);
        });
        sent.add(new Sent(id, channel, idempotencyKey, template, kept));
        return id;
    }

    synchronized List<String> keys() {
        return sent.stream().map(Sent::key).toList();
    }

    synchronized List<String> templates() {
        return sent.stream().map(Sent::template).toList();
    }
}
