package dev.opsdeck.web;

import dev.opsdeck.store.HistoryRepository.Bucket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The overview's tiny latency chart: mean latency per minute over the last hour, with a red tick
 * under every minute that saw a failure. Geometry only; {@code part/sparkline.jte} draws it.
 *
 * @param width   viewBox width (one unit per minute)
 * @param path    SVG path of the latency line, empty when nothing ran
 * @param failed  minutes (x positions) with at least one down result
 * @param summary the same information in words, for the tooltip and screen readers
 */
public record Sparkline(int width, String path, List<Integer> failed, String summary) {
    static final int MINUTES = 60;
    /** viewBox height: the line uses 0..LINE_HEIGHT, failure ticks sit below it. */
    public static final int HEIGHT = 24;
    static final double LINE_HEIGHT = 17;

    static Sparkline of(Collection<Bucket> minuteBuckets, long nowMs) {
        Slots slots = Slots.ending(nowMs, 60_000, MINUTES).add(minuteBuckets);
        long top = Math.max(1, slots.highestMean());
        List<Integer> failed = new ArrayList<>();
        long runs = 0, failures = 0, max = 0;
        for (int i = 0; i < slots.size(); i++) {
            if (slots.down[i] > 0) failed.add(i);
            runs += slots.total(i);
            failures += slots.down[i];
            max = Math.max(max, slots.latencyMax[i]);
        }
        String summary = runs == 0 ? "no results in the last hour"
                : "last hour: " + runs + " runs, " + failures + " failed, highest minute mean "
                + Format.ms(slots.highestMean()) + ", max " + Format.ms(max);
        return new Sparkline(MINUTES, slots.latencyPath(top, LINE_HEIGHT, 1), failed, summary);
    }

    public boolean empty() {
        return path.isEmpty();
    }
}
