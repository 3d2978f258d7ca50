package dev.opsdeck.web;

import dev.opsdeck.monitor.ServiceStatus;
import dev.opsdeck.monitor.ServiceStatus.CheckStatus;
import dev.opsdeck.monitor.ServiceSummary;
import dev.opsdeck.monitor.UptimeBoard;
import dev.opsdeck.store.HistoryRepository.Bucket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the overview. Status, filtering and sorting use the engine's in-memory statuses
 * ({@link ServiceSummary}, cheap even for 100,000 checks), and only the page's services get their full views; the 24-hour uptime is kept in memory ({@link UptimeBoard}); the store is only asked about the
 * one page of services actually shown: one summary query for their 30-day uptimes plus one minute-bucket read per
 * check for sparklines.
 */
final class OverviewBuilder {
    private static final long MONTH_MS = Duration.ofDays(30).toMillis();

    private final Pages pages;

    OverviewBuilder(Pages pages) {
        this.pages = pages;
    }

    OverviewPage build(OverviewQuery asked, Viewer viewer) {
        List<ServiceSummary> all = pages.summaries();
        long now = pages.clock().millis();
        Chrome chrome = pages.chromeOf(all, now, viewer);
        List<ServiceSummary> matching = all.stream()
                .filter(asked::matches)
                .sorted(Ranking.PROBLEMS_FIRST)
                .toList();
        int pageCount = Math.max(1, (matching.size() + OverviewQuery.PAGE_SIZE - 1) / OverviewQuery.PAGE_SIZE);
        OverviewQuery query = asked.onPage(Math.min(asked.page(), pageCount)); // past the end: show the last page
        int from = (query.page() - 1) * OverviewQuery.PAGE_SIZE;
        // full views (checks, messages, root causes) for the page's services only
        List<ServiceStatus> shown = new ArrayList<>();
        for (ServiceSummary s : matching.subList(from, Math.min(matching.size(), from + OverviewQuery.PAGE_SIZE))) {
            ServiceStatus view = pages.engine().service(s.name());
            if (view != null) shown.add(view); // null: removed by a reload a moment ago
        }

        HistoryReader history = new HistoryReader(pages.history());
        List<String> ids = shown.stream()
                .flatMap(s -> s.checks().stream())
                .map(CheckStatus::id)
                .toList();
        // the day from memory; daily rows for a month: a few dozen rows per check, not thousands
        Map<String, Bucket> month = history.summaries(ids, 'd', now - MONTH_MS);
        List<OverviewPage.Row> rows = new ArrayList<>();
        for (ServiceStatus s : shown) {
            List<Bucket> minutes = new ArrayList<>();
            for (CheckStatus c : s.checks()) {
                minutes.addAll(history.buckets(
                        c.id(), 'm', now - Duration.ofMinutes(Sparkline.MINUTES).toMillis()));
            }
            rows.add(new OverviewPage.Row(
                    s, Links.service(s.name()), Sparkline.of(minutes, now), dayUptime(s), uptime(s, month)));
        }
        int first = shown.isEmpty() ? 0 : from + 1;
        return new OverviewPage(
                chrome,
                query,
                rows,
                matching.size(),
                query.page(),
                pageCount,
                first,
                from + shown.size(),
                pageLinks(query, pageCount),
                query.page() > 1 ? query.onPage(query.page() - 1).url("/") : null,
                query.page() < pageCount ? query.onPage(query.page() + 1).url("/") : null,
                query.url("/fragments/overview"),
                history.problem());
    }

    /** A service's uptime over the last 24 hours, over all its checks' results together. */
    private String dayUptime(ServiceStatus s) {
        long up = 0, total = 0;
        for (CheckStatus c : s.checks()) {
            UptimeBoard.Counts counts = pages.uptime().counts(c.id());
            if (counts == null) continue;
            up += counts.up() + counts.degraded();
            total += counts.total();
        }
        return Format.percent(total == 0 ? Double.NaN : 100.0 * up / total);
    }

    /** A service's uptime is over all its checks' results together. */
    private static String uptime(ServiceStatus s, Map<String, Bucket> summaries) {
        List<Bucket> mine = s.checks().stream()
                .map(c -> summaries.get(c.id()))
                .filter(Objects::nonNull)
                .toList();
        return Format.percent(Buckets.sum(mine).uptimePercent());
    }

    /** First, last and two either side of the current page, with gaps: at most ~9 links for any page count. */
    static List<OverviewPage.PageLink> pageLinks(OverviewQuery query, int pageCount) {
        List<OverviewPage.PageLink> links = new ArrayList<>();
        if (pageCount <= 1) return links;
        int previous = 0;
        for (int p = 1; p <= pageCount; p++) {
            boolean near = Math.abs(p - query.page()) <= 2;
            if (p != 1 && p != pageCount && !near) continue;
            if (previous != 0 && p > previous + 1) links.add(new OverviewPage.PageLink("…", null, false));
            boolean current = p == query.page();
            links.add(new OverviewPage.PageLink(
                    String.valueOf(p), current ? null : query.onPage(p).url("/"), current));
            previous = p;
        }
        return links;
    }
}
