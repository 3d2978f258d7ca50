package dev.opsdeck.web;

import dev.opsdeck.monitor.ServiceSummary;
import dev.opsdeck.probe.Status;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * What the overview was asked for: {@code ?page=}, {@code ?status=} and {@code ?q=}. Bad values are
 * forgiven (page "x" is page 1, an unknown status shows everything) because these URLs get pasted
 * into chats at night and a page that works beats an error.
 *
 * @param status one of {@link #FILTERS}, or "" for all
 */
public record OverviewQuery(int page, String status, String q) {
    public static final int PAGE_SIZE = 50;
    /** Filters in the order the select shows them; "problems" is everything not up. */
    public static final List<String> FILTERS = List.of("problems", "down", "degraded", "unknown", "up");

    private static final int MAX_QUERY = 100;

    static OverviewQuery parse(String page, String status, String q) {
        int p = 1;
        try {
            p = page == null ? 1 : Math.max(1, Integer.parseInt(page.trim()));
        } catch (NumberFormatException ignored) {
            // keep page 1
        }
        String s = status == null ? "" : status.trim().toLowerCase(Locale.ROOT);
        if (!FILTERS.contains(s)) s = "";
        String text = q == null ? "" : q.strip();
        if (text.length() > MAX_QUERY) text = text.substring(0, MAX_QUERY);
        return new OverviewQuery(p, s, text);
    }

    boolean matches(ServiceSummary service) {
        return matchesStatus(service.status()) && matchesText(service);
    }

    private boolean matchesStatus(Status s) {
        return switch (status) {
            case "" -> true;
            case "problems" -> s != Status.UP;
            default -> s.label().equals(status);
        };
    }

    private boolean matchesText(ServiceSummary service) {
        if (q.isEmpty()) return true;
        String needle = q.toLowerCase(Locale.ROOT);
        return service.name().toLowerCase(Locale.ROOT).contains(needle)
                || service.description() != null
                        && service.description().toLowerCase(Locale.ROOT).contains(needle);
    }

    OverviewQuery onPage(int other) {
        return new OverviewQuery(other, status, q);
    }

    /** This query as a URL on {@code path}; only non-default parameters appear, so links stay short. */
    String url(String path) {
        StringBuilder b = new StringBuilder();
        if (page > 1) b.append("&page=").append(page);
        if (!status.isEmpty()) b.append("&status=").append(encode(status));
        if (!q.isEmpty()) b.append("&q=").append(encode(q));
        return b.isEmpty() ? path : path + "?" + b.substring(1);
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
