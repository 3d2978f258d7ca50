package dev.opsdeck.credential;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One certificate of the inventory, or one place that could not be read ({@code state} {@code error}).
 *
 * @param id the source, the slot (file in a directory, keystore alias) and the position in the chain: stable while
 *     the certificate at that place is renewed, so its alerts follow the place
 * @param usedBy where it is used: the URL or endpoint, the file, the check
 * @param role {@code leaf}, {@code intermediate} or {@code root}
 * @param state {@code ok}, {@code expiring} (at or below a threshold), {@code expired}, {@code not_yet_valid} or
 *     {@code error}
 * @param problems what is wrong with the chain it came in (e.g. an expired intermediate), for the leaf
 */
public record Certificate(
        String id,
        String source,
        String kind,
        String usedBy,
        String role,
        String subject,
        List<String> sans,
        String issuer,
        String serial,
        Instant notBefore,
        Instant notAfter,
        long daysLeft,
        String state,
        List<String> problems,
        String error) {
    public static final String OK = "ok";
    public static final String EXPIRING = "expiring";
    public static final String EXPIRED = "expired";
    public static final String NOT_YET_VALID = "not_yet_valid";
    public static final String ERROR = "error";

    /** What needs action first: unreadable, expired, chain problems, then the soonest to expire. */
    public static final Comparator<Certificate> BY_ACTION = Comparator.comparingInt(Certificate::rank)
            .thenComparingLong(Certificate::daysLeft)
            .thenComparing(Certificate::id);

    private int rank() {
        return switch (state) {
            case ERROR -> 0;
            case EXPIRED -> 1;
            case NOT_YET_VALID -> 2;
            default -> problems.isEmpty() ? 4 : 3;
        };
    }

    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("source", source);
        m.put("kind", kind);
        m.put("used_by", usedBy);
        m.put("state", state);
        m.put("role", role);
        m.put("subject", subject);
        m.put("sans", sans);
        m.put("issuer", issuer);
        m.put("serial", serial);
        m.put("not_before", notBefore == null ? null : notBefore.toString());
        m.put("not_after", notAfter == null ? null : notAfter.toString());
        m.put("days_left", notAfter == null ? null : daysLeft);
        m.put("problems", problems);
        m.put("error", error);
        return m;
    }
}
