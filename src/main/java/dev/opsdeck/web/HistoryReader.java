package dev.opsdeck.web;

import dev.opsdeck.store.HistoryRepository;
import dev.opsdeck.store.HistoryRepository.Bucket;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * History reads for one page render. A failing store must not take the dashboard down with it:
 * live status comes from memory, so reads that fail return nothing and the page says why.
 */
final class HistoryReader {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryReader.class);

    private final HistoryRepository history;
    private String problem;

    HistoryReader(HistoryRepository history) {
        this.history = history;
    }

    List<Bucket> buckets(String checkId, char resolution, long sinceMs) {
        if (problem != null) return List.of();
        try {
            return history.buckets(checkId, resolution, sinceMs);
        } catch (SQLException | RuntimeException e) {
            fail(e);
            return List.of();
        }
    }

    Map<String, Bucket> summaries(List<String> checkIds, char resolution, long sinceMs) {
        if (problem != null) return new HashMap<>();
        try {
            return history.summaries(checkIds, resolution, sinceMs);
        } catch (SQLException | RuntimeException e) {
            fail(e);
            return new HashMap<>();
        }
    }

    /** Null when every read worked; otherwise what went wrong, for a notice on the page. */
    String problem() {
        return problem;
    }

    private void fail(Exception e) {
        // one failure is enough: later reads would only wait for the same broken store
        problem = "history unavailable: " + e.getMessage();
        LOG.warn("event=dashboard_history_failed error=\"{}\"", e.toString());
    }
}
