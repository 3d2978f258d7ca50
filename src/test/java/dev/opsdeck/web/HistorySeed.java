package dev.opsdeck.web;

import dev.opsdeck.probe.CheckResult;
import dev.opsdeck.probe.Status;
import dev.opsdeck.store.ResultWriter;
import java.time.Instant;
import java.util.Map;

/**
 * Writes a day of made-up past results through the server's real writer, so charts and sparklines
 * have something to draw: a wavy latency, and an outage {@code outageMinutesAgo} minutes ago.
 */
final class HistorySeed {
    private HistorySeed() {}

    static void day(ResultWriter writer, String checkId, long nowMs, int outageMinutesAgo) throws InterruptedException {
        for (int minutesAgo = 24 * 60; minutesAgo >= 1; minutesAgo--) {
            // every minute in the last two hours, every five before that: like a real 1 min / 5 min mix
            if (minutesAgo > 120 && minutesAgo % 5 != 0) continue;
            boolean down = outageMinutesAgo > 0 && minutesAgo <= outageMinutesAgo && minutesAgo > outageMinutesAgo - 3;
            long latency =
                    down ? 1_000 : Math.round(30 + 18 * Math.sin(minutesAgo / 9.0) + (minutesAgo % 17 == 0 ? 60 : 0));
            Instant at = Instant.ofEpochMilli(nowMs - minutesAgo * 60_000L);
            CheckResult r = new CheckResult(
                    down ? Status.DOWN : Status.UP, at, latency, down ? "timed out after 1s" : "seeded", Map.of());
            writer.submit(new ResultWriter.Write(checkId, r, null));
        }
        writer.flush(10_000);
    }
}
