package dev.opsdeck.api;

import dev.opsdeck.config.CheckDef;
import dev.opsdeck.config.ServiceDef;
import dev.opsdeck.config.YamlNode;
import dev.opsdeck.monitor.ServiceStatus;
import dev.opsdeck.probe.Status;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The filters and the page of {@code GET /api/v1/services}: {@code status}, {@code label}, {@code q}, {@code after}
 * and {@code limit}. Services keep configuration order; {@code after} names the last service of the previous page,
 * so a walk sees every service once while the configuration is unchanged, even when statuses change in between.
 */
record ServiceQuery(Set<Status> statuses, Map<String, String> labels, String text, String after, int limit) {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** One page of the matching services, how many match in all, and the {@code after} of the next page. */
    record Page(List<ServiceStatus> services, int total, String next) {}

    static ServiceQuery read(Context ctx) {
        int limit = QueryParams.limit(ctx, DEFAULT_LIMIT, MAX_LIMIT);
        Set<Status> statuses = EnumSet.noneOf(Status.class);
        for (String list : ctx.queryParams("status")) {
            for (String one : list.split(",", -1)) statuses.add(status(one.trim()));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (String pair : ctx.queryParams("label")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw ApiProblem.badRequest("label: expected name=value such as team=api; got '" + pair + "'");
            }
            labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        String q = ctx.queryParam("q");
        String text = q == null || q.isBlank() ? null : q.trim().toLowerCase(Locale.ROOT);
        return new ServiceQuery(statuses, labels, text, ctx.queryParam("after"), limit);
    }

    private static Status status(String word) {
        for (Status s : Status.values()) if (s.label().equals(word)) return s;
        String known = String.join(
                ", ", Arrays.stream(Status.values()).map(Status::label).toList());
        throw ApiProblem.badRequest("status: expected one or more of " + known + "; got '" + word + "'");
    }

    /** The page after {@code after} among the services that match, in configuration order. */
    Page page(List<ServiceStatus> all, Map<String, ServiceDef> defs) {
        int start = 0;
        if (after != null) {
            start = -1;
            for (int i = 0; i < all.size() && start < 0; i++)
                if (all.get(i).name().equals(after)) start = i + 1;
            if (start < 0) {
                throw ApiProblem.badRequest("after: no service named '" + after
                        + "'; it was removed from the configuration or never existed, start again without after");
            }
        }
        List<ServiceStatus> page = new ArrayList<>();
        int total = 0;
        int before = 0;
        for (int i = 0; i < all.size(); i++) {
            ServiceStatus s = all.get(i);
            if (!matches(s, defs.get(s.name()))) continue;
            total++;
            if (i < start) before++;
            else if (page.size() < limit) page.add(s);
        }
        boolean more = total > before + page.size();
        return new Page(page, total, more ? page.getLast().name() : null);
    }

    private boolean matches(ServiceStatus s, ServiceDef def) {
        if (!statuses.isEmpty() && !statuses.contains(s.status())) return false;
        List<CheckDef> checks = def == null ? List.of() : def.checks();
        for (var label : labels.entrySet()) {
            if (checks.stream()
                    .noneMatch(c -> label.getValue().equals(alertLabels(c).get(label.getKey())))) {
                return false;
            }
        }
        if (text == null) return true;
        if (contains(s.name()) || contains(s.description())) return true;
        return checks.stream().anyMatch(c -> contains(c.name()) || contains(scalar(c.spec(), "description")));
    }

    private boolean contains(String value) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(text);
    }

    /** A check's {@code alert: labels:}, the only labels a service or check carries in the configuration. */
    private static Map<String, String> alertLabels(CheckDef c) {
        YamlNode alert = c.spec() == null || !c.spec().isMap() ? null : c.spec().get("alert");
        YamlNode labels = alert == null || !alert.isMap() ? null : alert.get("labels");
        if (labels == null || !labels.isMap()) return Map.of();
        Map<String, String> out = new LinkedHashMap<>();
        labels.entries().forEach((k, v) -> out.put(k.name(), v.isScalar() ? v.text() : null));
        return out;
    }

    private static String scalar(YamlNode map, String key) {
        YamlNode v = map == null || !map.isMap() ? null : map.get(key);
        return v != null && v.isScalar() ? v.text() : null;
    }
}
