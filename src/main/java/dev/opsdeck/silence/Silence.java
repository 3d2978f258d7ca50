package dev.opsdeck.silence;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One silence as stored. {@code expiredBy} is set when someone ended it early; its {@code endsMs} is then the
 * moment they did, so the record still says exactly when it was in force.
 */
public record Silence(
        long id,
        List<Matcher> matchers,
        long startsMs,
        long endsMs,
        String creator,
        String comment,
        long createdMs,
        String expiredBy) {
    public enum State {
        PENDING,
        ACTIVE,
        EXPIRED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public State state(long nowMs) {
        if (nowMs >= endsMs) return State.EXPIRED;
        return nowMs < startsMs ? State.PENDING : State.ACTIVE;
    }

    /** True when every matcher holds for the alert (a silence has at least one matcher). */
    public boolean matches(String service, String name, String severity, Map<String, String> labels) {
        for (Matcher m : matchers) if (!m.matches(service, name, severity, labels)) return false;
        return true;
    }

    /** What the audit log records about a silence when it is made, whether through the JSON API or the pages. */
    public Map<String, Object> auditDetails() {
        return Map.of(
                "matchers",
                matchers.stream().map(Matcher::toString).toList(),
                "comment",
                comment,
                "ends_at",
                Instant.ofEpochMilli(endsMs).toString());
    }

    public Map<String, Object> view(long nowMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("state", state(nowMs).label());
        m.put("matchers", matchers.stream().map(Matcher::view).toList());
        m.put("starts_at", Instant.ofEpochMilli(startsMs).toString());
        m.put("ends_at", Instant.ofEpochMilli(endsMs).toString());
        m.put("creator", creator);
        m.put("comment", comment);
        m.put("created_at", Instant.ofEpochMilli(createdMs).toString());
        m.put("expired_by", expiredBy);
        return m;
    }
}
