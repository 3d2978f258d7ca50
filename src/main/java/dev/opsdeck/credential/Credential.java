package dev.opsdeck.credential;

import dev.opsdeck.config.CredentialDef;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One credential as the inventory shows it: never its value or fingerprint, only what people act on.
 *
 * @param state {@code ok}, {@code overdue}, {@code source_missing}, {@code source_unreadable} or {@code unknown}
 *     (not read yet)
 * @param rotatedAt when it last changed: the change Opsdeck saw, else {@code last_rotated:}, else when Opsdeck first
 *     read it
 * @param dueAt when it must change next ({@code rotatedAt + rotate_every})
 * @param previousValidUntil while a rotation's overlap lasts, when the previous value stops being valid; else null
 */
public record Credential(
        CredentialDef def,
        String state,
        String message,
        Instant rotatedAt,
        boolean rotationSeen,
        Instant dueAt,
        Instant previousValidUntil,
        Instant checkedAt) {
    public static final String OK = "ok";
    public static final String OVERDUE = "overdue";
    public static final String SOURCE_MISSING = "source_missing";
    public static final String SOURCE_UNREADABLE = "source_unreadable";
    public static final String UNKNOWN = "unknown";

    /** What needs action first: a source that is gone, then overdue ones, then the soonest due. */
    public static final Comparator<Credential> BY_ACTION = Comparator.comparingInt(Credential::rank)
            .thenComparing(c -> c.dueAt() == null ? Instant.MAX : c.dueAt())
            .thenComparing(c -> c.def().name());

    public String name() {
        return def.name();
    }

    public boolean overdue() {
        return state.equals(OVERDUE);
    }

    /** Whole days since it last changed; null when unknown. */
    public Long ageDays(Instant now) {
        return rotatedAt == null
                ? null
                : java.time.Duration.between(rotatedAt, now).toDays();
    }

    private int rank() {
        return switch (state) {
            case SOURCE_MISSING, SOURCE_UNREADABLE -> 0;
            case OVERDUE -> 1;
            case UNKNOWN -> 2;
            default -> 3;
        };
    }

    /** The JSON shape of the API and the CLI. */
    public Map<String, Object> view(Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", def.name());
        m.put("owner", def.owner());
        m.put("purpose", def.purpose());
        m.put("state", state);
        m.put("message", message);
        m.put("source", def.source() == null ? "manual" : def.source().toString());
        m.put(
                "rotate_every_days",
                def.rotateEvery() == null ? null : def.rotateEvery().toDays());
        m.put("rotated_at", rotatedAt == null ? null : rotatedAt.toString());
        m.put("rotation_seen", rotationSeen);
        m.put("age_days", ageDays(now));
        m.put("due_at", dueAt == null ? null : dueAt.toString());
        m.put("overlap", def.overlap().isZero() ? null : def.overlap().toString());
        m.put("previous_valid_until", previousValidUntil == null ? null : previousValidUntil.toString());
        m.put("rotation_runbook", def.rotationRunbook());
        m.put("checked_at", checkedAt == null ? null : checkedAt.toString());
        return m;
    }
}
