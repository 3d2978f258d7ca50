package dev.opsdeck.checklist;

import dev.opsdeck.config.ChecklistDef;
import dev.opsdeck.config.Json;
import dev.opsdeck.config.Units;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the API, CLI and export show of a checklist: one view of a summary and of a detail as JSON-ready maps, and
 * the signed-off report as Markdown (the JSON report is the detail with who exported it and when).
 */
public final class ChecklistReport {
    private ChecklistReport() {}

    public static Map<String, Object> summary(Checklists.Summary s) {
        Map<String, Object> m = header(s.list());
        m.put("items", s.list().def().items().size());
        m.put("score", s.last() == null ? null : s.last().score());
        m.put("state", s.last() == null ? "not_run" : s.last().state());
        m.put("last_run", s.last() == null ? null : s.last().view());
        Map<String, Integer> counts = new LinkedHashMap<>();
        s.counts().forEach((k, v) -> counts.put(k.label(), v));
        m.put("counts", counts);
        return m;
    }

    public static Map<String, Object> detail(Checklists.Detail d, long nowMs) {
        Map<String, Object> m = header(d.list());
        m.put("score", d.last() == null ? null : d.last().score());
        m.put("state", d.last() == null ? "not_run" : d.last().state());
        m.put("last_run", d.last() == null ? null : d.last().view());
        m.put("items", d.items().stream().map(v -> item(v, nowMs)).toList());
        m.put("attestations", d.attestations().stream().map(Attestation::view).toList());
        m.put("waivers", d.waivers().stream().map(w -> w.view(nowMs)).toList());
        return m;
    }

    private static Map<String, Object> header(CompiledChecklist c) {
        ChecklistDef def = c.def();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", def.name());
        m.put("title", def.title());
        m.put("description", def.description());
        m.put("schedule", def.schedule() == null ? null : def.schedule().toString());
        m.put("every", def.every() == null ? null : Units.format(def.every()));
        m.put("config_hash", c.configHash());
        return m;
    }

    public static Map<String, Object> item(Checklists.ItemView v, long nowMs) {
        ChecklistDef.Item i = v.item();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("title", i.title());
        m.put("section", v.section());
        m.put("severity", i.severity().label());
        m.put("kind", i.source().kind());
        m.put("link", i.link());
        ItemResult r = v.latest();
        m.put("state", r == null ? null : r.state().label());
        m.put("message", r == null ? null : r.message());
        m.put("evidence", r == null ? null : r.evidence());
        m.put("duration_ms", r == null ? null : r.durationMs());
        m.put("at", r == null ? null : Instant.ofEpochMilli(r.atMs()).toString());
        m.put(
                "history",
                v.history().stream()
                        .map(h -> Map.of(
                                "run",
                                h.runId(),
                                "state",
                                h.state().label(),
                                "at",
                                Instant.ofEpochMilli(h.atMs()).toString()))
                        .toList());
        m.put("attestation", v.attestation() == null ? null : v.attestation().view());
        m.put("waiver", v.waiver() == null ? null : v.waiver().view(nowMs));
        return m;
    }

    /** The JSON report: the detail, and who exported it when. */
    public static Map<String, Object> json(Checklists.Detail d, String exportedBy, long nowMs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("report", "opsdeck checklist");
        m.put("exported_by", exportedBy);
        m.put("exported_at", Instant.ofEpochMilli(nowMs).toString());
        m.putAll(detail(d, nowMs));
        return m;
    }

    /** The Markdown report: state and score, each item with its evidence, then attestations and waivers. */
    public static String markdown(Checklists.Detail d, String exportedBy, long nowMs) {
        ChecklistDef def = d.list().def();
        StringBuilder b = new StringBuilder();
        b.append("# ").append(md(def.title())).append("\n\n");
        b.append("- Checklist: `")
                .append(def.name())
                .append("`, configuration hash `")
                .append(d.list().configHash())
                .append("`\n");
        if (d.last() == null) {
            b.append("- Not run yet\n");
        } else {
            b.append("- State: **")
                    .append(d.last().state())
                    .append("**, score ")
                    .append(d.last().score())
                    .append("/100\n");
            b.append("- Run `")
                    .append(d.last().id())
                    .append("` at ")
                    .append(Instant.ofEpochMilli(d.last().startedMs()))
                    .append(" (")
                    .append(d.last().endedMs() - d.last().startedMs())
                    .append(" ms, ")
                    .append(d.last().cause())
                    .append(" by ")
                    .append(md(d.last().actor()))
                    .append(")\n");
        }
        b.append("- Exported by ")
                .append(md(exportedBy))
                .append(" at ")
                .append(Instant.ofEpochMilli(nowMs))
                .append("\n");
        String section = null;
        for (Checklists.ItemView v : d.items()) {
            if (!v.section().equals(section)) {
                section = v.section();
                b.append("\n## ")
                        .append(md(section.isEmpty() ? "Items" : section))
                        .append("\n\n");
                b.append("| Item | Severity | State | Found |\n|---|---|---|---|\n");
            }
            ItemResult r = v.latest();
            b.append("| ")
                    .append(md(v.item().title()))
                    .append(" (`")
                    .append(v.item().id())
                    .append("`) | ")
                    .append(v.item().severity().label())
                    .append(" | ")
                    .append(r == null ? "not run" : r.state().label())
                    .append(" | ")
                    .append(r == null ? "" : md(r.message()))
                    .append(" |\n");
        }
        b.append("\n## Evidence\n");
        for (Checklists.ItemView v : d.items()) {
            if (v.latest() == null || v.latest().evidence().isEmpty()) continue;
            b.append("\n### ")
                    .append(v.item().id())
                    .append("\n\n```json\n")
                    .append(Json.pretty(v.latest().evidence()).replace("```", "'''"))
                    .append("\n```\n");
        }
        b.append("\n## Attestations\n\n");
        List<Attestation> as = d.attestations();
        if (as.isEmpty()) b.append("None.\n");
        else {
            b.append("| Item | By | At | Expires | Note |\n|---|---|---|---|---|\n");
            for (Attestation a : as)
                b.append("| `")
                        .append(a.itemId())
                        .append("` | ")
                        .append(md(a.by()))
                        .append(" | ")
                        .append(Instant.ofEpochMilli(a.atMs()))
                        .append(" | ")
                        .append(Instant.ofEpochMilli(a.expiresMs()))
                        .append(" | ")
                        .append(md(a.note()))
                        .append(" |\n");
        }
        b.append("\n## Waivers\n\n");
        if (d.waivers().isEmpty()) b.append("None.\n");
        else {
            b.append("| Item | Status | Requested by | Approved by | Expires | Reason |\n|---|---|---|---|---|---|\n");
            for (Waiver w : d.waivers())
                b.append("| `")
                        .append(w.itemId())
                        .append("` | ")
                        .append(w.status(nowMs))
                        .append(" | ")
                        .append(md(w.requestedBy()))
                        .append(" | ")
                        .append(w.approvedBy() == null ? "" : md(w.approvedBy()))
                        .append(" | ")
                        .append(Instant.ofEpochMilli(w.expiresMs()))
                        .append(" | ")
                        .append(md(w.reason()))
                        .append(" |\n");
        }
        return b.toString();
    }

    /** Text in a table cell or heading: one line, no column breaks, no markup of its own. */
    static String md(String s) {
        if (s == null) return "";
        return s.replace("\\", "\\\\")
                .replace("|", "\\|")
                .replace("`", "'")
                .replace("<", "&lt;")
                .replaceAll("[\\r\\n]+", " ");
    }
}
