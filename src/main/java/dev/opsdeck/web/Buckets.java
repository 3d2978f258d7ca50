package dev.opsdeck.web;

import dev.opsdeck.store.HistoryRepository.Bucket;
import dev.opsdeck.store.LatencyHistogram;
import java.util.Collection;

/** Adds rollup buckets together: rollups are plain counts and histograms, so sums stay exact. */
final class Buckets {
    private Buckets() {}

    static Bucket sum(Collection<Bucket> buckets) {
        long start = Long.MAX_VALUE, up = 0, degraded = 0, down = 0, latencySum = 0, latencyMax = 0;
        long[] histogram = new long[LatencyHistogram.SIZE];
        for (Bucket b : buckets) {
            start = Math.min(start, b.startMs());
            up += b.up();
            degraded += b.degraded();
            down += b.down();
            latencySum += b.latencySum();
            latencyMax = Math.max(latencyMax, b.latencyMax());
            for (int i = 0; i < histogram.length; i++) histogram[i] += b.histogram()[i];
        }
        return new Bucket(buckets.isEmpty() ? 0 : start, up, degraded, down, latencySum, latencyMax, histogram);
    }
}
