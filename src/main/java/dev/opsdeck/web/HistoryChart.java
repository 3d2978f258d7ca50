package dev.opsdeck.web;

import dev.opsdeck.store.HistoryRepository.Bucket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The service page chart of one check: a status strip (one colour per time slot, runs of equal
 * slots merged into one rectangle) above a mean-latency line. Geometry only; {@code part/chart.jte}
 * draws it in a viewBox one unit wide per slot.
 */
public record HistoryChart(
        int width,
        List<Segment> strip,
        String latencyPath,
        String topLabel,
        String startLabel,
        String endLabel,
        Summary summary,
        List<Marker> markers) {
    /** viewBox rows: the strip on top, the latency line below it. */
    public static final int STRIP_HEIGHT = 12;

    public static final int HEIGHT = 100;
    static final int LINE_TOP = 20;

    /** A run of slots with the same verdict; {@code title} is the tooltip with times and counts. */
    public record Segment(int x, int width, String verdict, String title) {}

    /**
     * A deploy in the window, drawn as a vertical line at {@code x} (in slots from the chart's start, as text so the
     * template only prints); {@code kind} picks its colour: {@code ok}, {@code failed} or {@code running}.
     */
    public record Marker(String x, String kind, String title, String href) {}

    /** Numbers for the whole window; strings so the template only prints. */
    public record Summary(String runs, String uptime, String p50, String p95, String p99, String max) {}

    static HistoryChart of(Collection<Bucket> buckets, ChartWindow window, long nowMs) {
        Slots slots = Slots.ending(nowMs, window.slotMs, window.slots).add(buckets);
        long top = Slots.niceCeiling(Math.max(1, slots.highestMean()));
        boolean days = window.spanMs() > 86_400_000L;
        return new HistoryChart(
                slots.size(),
                strip(slots, days),
                slots.latencyPath(top, HEIGHT - LINE_TOP - 2, LINE_TOP),
                Format.ms(top),
                Format.axis(slots.startMs, days),
                "now",
                summarize(buckets, slots),
                List.of());
    }

    /** The same chart with deploy markers on it. */
    HistoryChart withMarkers(List<Marker> more) {
        return new HistoryChart(width, strip, latencyPath, topLabel, startLabel, endLabel, summary, List.copyOf(more));
    }

    public boolean empty() {
        return latencyPath.isEmpty();
    }

    private static List<Segment> strip(Slots slots, boolean days) {
        List<Segment> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= slots.size(); i++) {
            if (i < slots.size() && slots.verdict(i).equals(slots.verdict(start))) continue;
            long up = 0, degraded = 0, down = 0;
            for (int j = start; j < i; j++) {
                up += slots.up[j];
                degraded += slots.degraded[j];
                down += slots.down[j];
            }
            String when =
                    Format.axis(slots.slotStart(start), days) + "–" + Format.axis(slots.slotStart(i), days) + " UTC";
            String counts =
                    up + degraded + down == 0 ? "no results" : down + " down, " + degraded + " degraded, " + up + " up";
            out.add(new Segment(start, i - start, slots.verdict(start), when + ": " + counts));
            start = i;
        }
        return out;
    }

    private static Summary summarize(Collection<Bucket> buckets, Slots slots) {
        Bucket sum = Buckets.sum(
                buckets.stream().filter(b -> b.startMs() >= slots.startMs).toList());
        if (sum.total() == 0) return new Summary("0", "—", "—", "—", "—", "—");
        return new Summary(
                Format.count(sum.total()),
                Format.percent(sum.uptimePercent()),
                Format.ms(sum.latencyPercentile(0.5)),
                Format.ms(sum.latencyPercentile(0.95)),
                Format.ms(sum.latencyPercentile(0.99)),
                Format.ms(sum.latencyMax()));
    }
}
