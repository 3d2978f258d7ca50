package dev.opsdeck.deploy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of a deploy's record (table {@code deploy_evidence}): a gate or bake result with the failing response
 * body kept (capped at {@link #BODY_CAP} characters), and the deploy's other moments, so that the record reads as a
 * timeline. Phases: {@code approval}, {@code runbook}, {@code gate}, {@code bake}, {@code rollback}, {@code outcome}.
 */
public record Evidence(
        String deployId, int seq, String phase, String name, boolean passed, String detail, String body, long atMs) {
    public static final int BODY_CAP = 4096, DETAIL_CAP = 2000;

    public static String cap(String text, int cap) {
        return text == null || text.length() <= cap ? text : text.substring(0, cap - 3) + "...";
    }

    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", seq);
        m.put("phase", phase);
        m.put("name", name);
        m.put("passed", passed);
        m.put("detail", detail);
        m.put("body", body);
        m.put("at", Instant.ofEpochMilli(atMs).toString());
        return m;
    }
}
