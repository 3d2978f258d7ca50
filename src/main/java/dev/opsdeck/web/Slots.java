package dev.opsdeck.web;

import dev.opsdeck.store.HistoryRepository.Bucket;
import java.util.Collection;
import java.util.Locale;

/**
 * Rollup buckets laid onto a fixed row of equal time slots ending now. Charts draw slots, not
 * buckets, so a chart always has the same width and empty stretches show as gaps instead of
 * being silently squeezed out.
 */
final class Slots {
    final long startMs;
    final long slotMs;
    final long[] up;
    final long[] degraded;
    final long[] down;
    final long[] latencySum;
    final long[] latencyMax;

    private Slots(long startMs, long slotMs, int count) {
        this.startMs = startMs;
        this.slotMs = slotMs;
        up = new long[count];
        degraded = new long[count];
        down = new long[count];
        latencySum = new long[count];
        latencyMax = new long[count];
    }

    /** {@code count} slots of {@code slotMs}, the last one containing {@code nowMs}. */
    static Slots ending(long nowMs, long slotMs, int count) {
        long lastStart = nowMs - Math.floorMod(nowMs, slotMs);
        return new Slots(lastStart - (count - 1) * slotMs, slotMs, count);
    }

    /** Adds buckets (of one or several checks); buckets outside the slots are ignored. */
    Slots add(Collection<Bucket> buckets) {
        for (Bucket b : buckets) {
            long offset = b.startMs() - startMs;
            if (offset < 0) continue;
            int i = (int) (offset / slotMs);
            if (i >= size()) continue;
            up[i] += b.up();
            degraded[i] += b.degraded();
            down[i] += b.down();
            latencySum[i] += b.latencySum();
            latencyMax[i] = Math.max(latencyMax[i], b.latencyMax());
        }
        return this;
    }

    int size() {
        return up.length;
    }

    long total(int i) {
        return up[i] + degraded[i] + down[i];
    }

    /** Mean latency of a slot, or -1 when nothing ran in it. */
    long mean(int i) {
        long n = total(i);
        return n == 0 ? -1 : latencySum[i] / n;
    }

    long highestMean() {
        long max = 0;
        for (int i = 0; i < size(); i++) max = Math.max(max, mean(i));
        return max;
    }

    /** Worst outcome in a slot, as a CSS modifier: down, degraded, up or none (no data). */
    String verdict(int i) {
        if (down[i] > 0) return "down";
        if (degraded[i] > 0) return "degraded";
        if (up[i] > 0) return "up";
        return "none";
    }

    long slotStart(int i) {
        return startMs + i * slotMs;
    }

    /**
     * SVG path data for mean latency as steps: each slot is a flat segment across its own width, so
     * a lone minute with data is still a visible dash and nothing is interpolated between slots.
     * Top of the scale is {@code top} ms at {@code yOffset}; zero is {@code height} below it.
     */
    String latencyPath(long top, double height, double yOffset) {
        StringBuilder d = new StringBuilder();
        boolean drawing = false;
        for (int i = 0; i < size(); i++) {
            long m = mean(i);
            if (m < 0) {
                drawing = false; // a gap in the data is a gap in the line, never a fake straight segment
                continue;
            }
            String y = num(yOffset + height - height * Math.min(m, top) / Math.max(top, 1));
            if (!d.isEmpty()) d.append(' ');
            d.append(drawing ? "L" : "M")
                    .append(num(i))
                    .append(' ')
                    .append(y)
                    .append(" L")
                    .append(num(i + 1))
                    .append(' ')
                    .append(y);
            drawing = true;
        }
        return d.toString();
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** A round axis top at or above {@code max}: 1, 2 or 5 times a power of ten. */
    static long niceCeiling(long max) {
        long step = 1;
        while (true) {
            for (long f : new long[] {1, 2, 5}) {
                if (f * step >= max) return f * step;
            }
            step *= 10;
        }
    }
}
