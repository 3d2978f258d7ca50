package dev.opsdeck.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opsdeck.store.HistoryRepository.Bucket;
import dev.opsdeck.store.LatencyHistogram;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Slots, sparkline and history chart geometry from hand-made rollup buckets. */
class ChartGeometryTest {
    private static final long MINUTE = 60_000;
    private static final long NOW = 1_700_000_000_000L - 1_700_000_000_000L % MINUTE + 30_000; // mid-minute

    private static Bucket bucket(long startMs, long up, long down, long latencyEach) {
        long[] histogram = new long[LatencyHistogram.SIZE];
        histogram[3] = up + down;
        return new Bucket(startMs, up, 0, down, latencyEach * (up + down), latencyEach, histogram);
    }

    @Test
    void slotsEndAtTheCurrentMinuteAndIgnoreOlderBuckets() {
        long thisMinute = NOW - 30_000;
        Slots slots = Slots.ending(NOW, MINUTE, 60)
                .add(List.of(
                        bucket(thisMinute, 5, 0, 10),
                        bucket(thisMinute - 59 * MINUTE, 1, 1, 40),
                        bucket(thisMinute - 60 * MINUTE, 9, 9, 999)));
        assertThat(slots.total(59)).isEqualTo(5);
        assertThat(slots.verdict(59)).isEqualTo("up");
        assertThat(slots.verdict(0)).isEqualTo("down");
        assertThat(slots.verdict(30)).isEqualTo("none");
        assertThat(slots.highestMean()).isEqualTo(40);
    }

    @Test
    void latencyIsAStepLineThatBreaksAtGapsInsteadOfBridgingThem() {
        long thisMinute = NOW - 30_000;
        Slots slots = Slots.ending(NOW, MINUTE, 4)
                .add(List.of(
                        bucket(thisMinute - 3 * MINUTE, 1, 0, 100),
                        bucket(thisMinute - 2 * MINUTE, 1, 0, 50),
                        bucket(thisMinute, 1, 0, 0)));
        assertThat(slots.latencyPath(100, 10, 0)).isEqualTo("M0.0 0.0 L1.0 0.0 L1.0 5.0 L2.0 5.0 M3.0 10.0 L4.0 10.0");
    }

    @Test
    void sparklineMarksFailedMinutesAndSaysSoInWords() {
        long thisMinute = NOW - 30_000;
        Sparkline s =
                Sparkline.of(List.of(bucket(thisMinute - 2 * MINUTE, 3, 1, 20), bucket(thisMinute, 4, 0, 10)), NOW);
        assertThat(s.failed()).containsExactly(57);
        assertThat(s.empty()).isFalse();
        assertThat(s.summary()).contains("8 runs").contains("1 failed");
        assertThat(Sparkline.of(List.of(), NOW).empty()).isTrue();
    }

    @Test
    void aSparklineShowsTheMinutesItHasUntilTheHourIsCovered() {
        long thisMinute = NOW - 30_000;
        Sparkline young =
                Sparkline.of(List.of(bucket(thisMinute - 2 * MINUTE, 3, 0, 20), bucket(thisMinute, 4, 0, 10)), NOW);
        assertThat(young.from())
                .as("the view starts at the first minute with data")
                .isEqualTo(57);
        assertThat(young.shown()).isEqualTo(3);
        assertThat(young.collecting()).isTrue();
        assertThat(young.summary()).startsWith("last 3 min: 7 runs, 0 failed");
        Sparkline single = Sparkline.of(List.of(bucket(thisMinute, 1, 0, 10)), NOW);
        assertThat(single.shown()).isEqualTo(1);
        assertThat(single.path())
                .as("one minute still draws a dash across the view")
                .isEqualTo("M59.0 1.0 L60.0 1.0");
        Sparkline full =
                Sparkline.of(List.of(bucket(thisMinute - 59 * MINUTE, 1, 0, 10), bucket(thisMinute, 1, 0, 10)), NOW);
        assertThat(full.from()).isZero();
        assertThat(full.collecting()).isFalse();
        assertThat(full.summary()).startsWith("last hour: ");
    }

    @Test
    void historyChartMergesRunsOfEqualSlotsIntoOneSegment() {
        long thisMinute = NOW - 30_000;
        HistoryChart chart = HistoryChart.of(
                List.of(
                        bucket(thisMinute - 2 * MINUTE, 2, 0, 5),
                        bucket(thisMinute - MINUTE, 2, 0, 5),
                        bucket(thisMinute, 0, 2, 5)),
                ChartWindow.HOUR,
                NOW);
        assertThat(chart.width()).isEqualTo(60);
        assertThat(chart.strip()).extracting(HistoryChart.Segment::verdict).containsExactly("none", "up", "down");
        assertThat(chart.strip()).extracting(HistoryChart.Segment::width).containsExactly(57, 2, 1);
        assertThat(chart.strip().get(2).title()).contains("2 down");
        assertThat(chart.summary().runs()).isEqualTo("6");
        assertThat(chart.summary().uptime()).isEqualTo("66.66%");
        assertThat(chart.topLabel()).isEqualTo("5 ms");
    }

    @Test
    void axisTopIsARoundNumber() {
        assertThat(Slots.niceCeiling(1)).isEqualTo(1);
        assertThat(Slots.niceCeiling(37)).isEqualTo(50);
        assertThat(Slots.niceCeiling(120)).isEqualTo(200);
        assertThat(Slots.niceCeiling(501)).isEqualTo(1000);
    }
}
