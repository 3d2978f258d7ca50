package dev.opsdeck.web;

import dev.opsdeck.store.HistoryRepository.Bucket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The overview's tiny latency chart: mean latency per minute over the last hour, with a red tick
 * under every minute that saw a failure. Geometry only; {@code part/sparkline.jte} draws it.
 *
 * While the hour is not yet covered (a new check, a server just started) the chart shows only the minutes from
 * the first one with data, stretched to the full width, and says it is collecting: the hour's frame with a dash
 * at its right end read as an empty, broken box.
 *
 * @param width   minutes in the hour (x runs 0..width, one unit per minute)
 * @param from    the first minute with data: the chart's viewBox starts there
 * @param path    SVG path of the latency line, empty when nothing ran
 * @param failed  minutes (x positions) with at least one down result
 * @param summary the same information in words, for the tooltip and screen readers
 */
public record Sparkline(int width, int from, String path, List<Integer> failed, String summary) {
    static final int MINUTES = 60;
    /** viewBox height: the line uses 0..LINE_HEIGHT, failure ticks sit below it. */
    public static final int HEIGHT = 24;

    static final double LINE_HEIGHT = 17;

    static Sparkline of(Collection<Bucket> minuteBuckets, long nowMs) {
        Slots slots = Slots.ending(nowMs, 60_000, MINUTES).add(minuteBuckets);
        long top = Math.max(1, slots.highestMean());
        List<Integer> failed = new ArrayList<>();
        long runs = 0, failures = 0, max = 0;
        int from = -1;
        for (int i = 0; i < slots.size(); i++) {
            if (slots.down[i] > 0) failed.add(i);
            if (from < 0 && slots.total(i) > 0) from = i;
            runs += slots.total(i);
            failures += slots.down[i];
            max = Math.max(max, slots.latencyMax[i]);
        }
        from = Math.max(0, from);
        String span = from == 0 ? "last hour" : "last " + (MINUTES - from) + " min";
        String summary = runs == 0
                ? "no results in the last hour"
                : span + ": " + runs + " runs, " + failures + " failed, highest minute mean "
                        + Format.ms(slots.highestMean()) + ", max " + Format.ms(max);
        return new Sparkline(MINUTES, from, slots.latencyPath(top, LINE_HEIGHT, 1), failed, summary);
    }

    public boolean empty() {
        return path.isEmpty();
    }

    /** Minutes shown: from the first one with data to now. */
    public int shown() {
        return width - from;
    }

    /** True while the chart covers less than the hour. */
    public boolean collecting() {
        return from > 0;
    }
}
