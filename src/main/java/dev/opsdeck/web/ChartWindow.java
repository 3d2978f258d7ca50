package dev.opsdeck.web;

import java.util.Arrays;

/**
 * The time windows of the service page chart. Each picks the coarsest rollup that still gives
 * a few hundred slots, so a 30-day chart reads 720 hourly rows, not 43,200 minute rows.
 */
public enum ChartWindow {
    HOUR("1h", 'm', 60_000L, 60),
    DAY("24h", 'm', 5 * 60_000L, 288),
    WEEK("7d", 'h', 3_600_000L, 168),
    MONTH("30d", 'h', 4 * 3_600_000L, 180);

    private final String param;
    final char resolution;
    final long slotMs;
    final int slots;

    ChartWindow(String param, char resolution, long slotMs, int slots) {
        this.param = param;
        this.resolution = resolution;
        this.slotMs = slotMs;
        this.slots = slots;
    }

    public String param() {
        return param;
    }

    long spanMs() {
        return slotMs * slots;
    }

    /** Unknown or missing values fall back to 24 h: a bad link still shows a useful page. */
    static ChartWindow parse(String value) {
        return Arrays.stream(values())
                .filter(w -> w.param.equals(value))
                .findFirst()
                .orElse(DAY);
    }
}
