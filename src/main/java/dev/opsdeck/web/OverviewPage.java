package dev.opsdeck.web;

import dev.opsdeck.monitor.ServiceStatus;
import java.util.List;

/**
 * Everything {@code overview.jte} prints, computed up front so the template has no logic.
 *
 * @param rows    this page's services only, problems first
 * @param matches how many services match the filter (across all pages)
 * @param first   1-based index of the first row shown (0 when there are none)
 * @param previousUrl null on the first page; {@code nextUrl} likewise on the last
 */
public record OverviewPage(
        Chrome chrome,
        OverviewQuery query,
        List<Row> rows,
        int matches,
        int page,
        int pages,
        int first,
        int last,
        List<PageLink> links,
        String previousUrl,
        String nextUrl,
        String liveUrl,
        String historyProblem)
        implements PageModel {

    /** One service row. Uptimes are preformatted ("99.95%", "—" for no data). */
    public record Row(ServiceStatus service, String url, Sparkline sparkline, String uptime24h, String uptime30d) {}

    /** A pager entry: a page number with its URL, the current page (no URL), or a gap ("…", no URL). */
    public record PageLink(String label, String url, boolean current) {}

    public boolean filtered() {
        return !query.status().isEmpty() || !query.q().isEmpty();
    }
}
