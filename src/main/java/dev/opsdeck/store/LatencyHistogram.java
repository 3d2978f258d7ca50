package dev.opsdeck.store;

/**
 * Fixed latency buckets shared by every rollup, so percentiles over any window are sums of
 * bucket counts. Bounds (ms, inclusive upper): 1 2 5 10 20 50 100 200 500 1000 2000 5000 10000 +inf.
 * A percentile is reported as the upper bound of its bucket: coarse but cheap and stable.
 */
public final class LatencyHistogram {
    static final long[] BOUNDS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, Long.MAX_VALUE};
    public static final int SIZE = BOUNDS.length;

    private LatencyHistogram() {}

    static int bucket(long millis) {
        for (int i = 0; i < BOUNDS.length; i++) {
            if (millis <= BOUNDS[i]) return i;
        }
        return BOUNDS.length - 1;
    }

    /** The latency at quantile q (0..1) of the counts; {@code max} caps the open last bucket. */
    static long quantile(long[] counts, double q, long max) {
        long total = 0;
        for (long c : counts) total += c;
        if (total == 0) return 0;
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) return Math.min(BOUNDS[i], max);
        }
        return max;
    }
}
