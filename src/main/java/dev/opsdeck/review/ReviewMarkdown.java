package dev.opsdeck.review;

import dev.opsdeck.incident.Incident;
import dev.opsdeck.incident.TimelineEntry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A review as a Markdown document in the seed's sections, for a wiki or a pull request. What people wrote is
 * markdown already and goes in as written; facts from the store go into tables with their cells escaped.
 */
public final class ReviewMarkdown {
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private ReviewMarkdown() {}

    public static String render(Review r, long nowMs) {
        Incident i = r.incident().incident();
        ReviewText t = r.text();
        StringBuilder md = new StringBuilder();
        md.append("# Post-incident review: incident ")
                .append(i.id())
                .append(" — ")
                .append(line(i.title()))
                .append(" (")
                .append(i.severity())
                .append(")\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "Severity", i.severity());
        row(md, "Service", i.service() == null ? "—" : i.service());
        row(md, "Opened", time(i.openedMs()));
        row(md, "First acknowledged", i.firstAckedMs() == null ? "never" : time(i.firstAckedMs()));
        row(
                md,
                "Resolved",
                i.resolvedMs() == null
                        ? "not yet"
                        : time(i.resolvedMs()) + (i.resolvedBy() == null ? "" : " by " + i.resolvedBy()));
        row(md, "Duration", duration(r.durationMs(nowMs)));
        row(md, "Review", status(r));
        md.append('\n');

        md.append("## Timeline\n\n");
        List<TimelineEntry> timeline = r.incident().timeline();
        if (timeline.isEmpty()) md.append("Nothing was recorded.\n");
        for (TimelineEntry e : timeline) {
            md.append("- ")
                    .append(time(e.atMs()))
                    .append(" — ")
                    .append(e.kind().replace('_', ' '))
                    .append(" (")
                    .append(line(e.actor()))
                    .append(")")
                    .append(e.text() == null || e.text().isBlank() ? "" : ": " + line(e.text()))
                    .append('\n');
        }
        md.append('\n');
        section(md, "Root cause", t.rootCause());
        md.append("## Impact\n\n");
        md.append("- Duration: ").append(duration(r.durationMs(nowMs))).append('\n');
        List<String> services = new ArrayList<>();
        if (i.service() != null) services.add(i.service());
        services.addAll(r.incident().impacted());
        md.append("- Affected services: ")
                .append(services.isEmpty() ? "none recorded" : String.join(", ", services))
                .append('\n');
        md.append("- Affected users: ")
                .append(blank(t.affectedUsers()) ? "not written yet" : line(t.affectedUsers()))
                .append("\n\n");
        if (!blank(t.impact())) md.append(t.impact().strip()).append("\n\n");
        section(md, "Immediate remediation", t.remediation());
        md.append("## Corrective actions\n\n");
        if (t.actions().isEmpty()) {
            md.append("None recorded.\n\n");
        } else {
            md.append("| Action | Owner | Due | Status |\n|---|---|---|---|\n");
            for (CorrectiveAction a : t.actions()) {
                md.append("| ")
                        .append(cell(a.description()))
                        .append(" | ")
                        .append(cell(a.owner()))
                        .append(" | ")
                        .append(a.due())
                        .append(" | ")
                        .append(a.status().label())
                        .append(" |\n");
            }
            md.append('\n');
        }
        section(md, "Detection gap", t.detectionGap());
        section(md, "Runbook improvements", t.runbookImprovements());
        return md.toString().stripTrailing() + "\n";
    }

    private static String status(Review r) {
        String stage = switch (r.stage()) {
            case COMPLETED -> "completed " + time(r.completedMs()) + " by " + r.completedBy();
            case DRAFT -> "draft, last saved " + time(r.updatedMs()) + " by " + r.updatedBy();
            case NOT_STARTED -> "not started";
        };
        if (r.dueMs() != null && r.stage() != Review.Stage.COMPLETED) {
            stage += "; due " + time(r.dueMs()) + (r.overdue() ? " — OVERDUE" : "");
        }
        return stage;
    }

    private static void section(StringBuilder md, String title, String text) {
        md.append("## ")
                .append(title)
                .append("\n\n")
                .append(blank(text) ? "_Not written yet._" : text.strip())
                .append("\n\n");
    }

    private static void row(StringBuilder md, String name, String value) {
        md.append("| ").append(name).append(" | ").append(cell(value)).append(" |\n");
    }

    /** A table cell: one line, pipes escaped so the table keeps its columns. */
    static String cell(String s) {
        return line(s).replace("|", "\\|");
    }

    private static String line(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    static String time(long ms) {
        return UTC.format(Instant.ofEpochMilli(ms));
    }

    /** {@code 1h 12m}, {@code 3m 5s}, {@code 2d 4h}: the two largest units. */
    static String duration(long ms) {
        long s = Math.max(0, ms / 1000);
        long d = s / 86_400, h = s % 86_400 / 3_600, m = s % 3_600 / 60, sec = s % 60;
        if (d > 0) return d + "d " + h + "h";
        if (h > 0) return h + "h " + m + "m";
        if (m > 0) return m + "m " + sec + "s";
        return sec + "s";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
